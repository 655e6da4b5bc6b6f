package org.adam.sfu.webrtc.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer connection's DTLS association. BouncyCastle's DTLS is blocking, so the handshake, and
 * afterwards a reader that lets BC resend its last flight if the peer's Finished was lost, run on
 * a thread of the given executor; the network thread only offers datagrams
 * ({@link #onDatagram}) and never waits.
 */
public final class DtlsEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(DtlsEndpoint.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int READ_WAIT_MILLIS = 1000;

    private final DtlsRole role;
    private final DtlsCertificate certificate;
    private final PeerCertificateCheck peerCheck;
    private final DtlsListener listener;
    private final Executor executor;
    private final int handshakeTimeoutMillis;
    private final QueueDatagramTransport transport;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final LongAdder applicationDataDropped = new LongAdder();
    private volatile DTLSTransport established;
    private volatile boolean closed;

    public DtlsEndpoint(DtlsRole role, DtlsCertificate certificate, String expectedPeerFingerprint,
                        DtlsOutput output, DtlsListener listener, Executor executor, int mtu,
                        Duration handshakeTimeout) {
        this.role = role;
        this.certificate = certificate;
        this.peerCheck = new PeerCertificateCheck(expectedPeerFingerprint);
        this.listener = listener;
        this.executor = executor;
        this.handshakeTimeoutMillis = (int) handshakeTimeout.toMillis();
        this.transport = new QueueDatagramTransport(output, mtu);
    }

    /** Starts the handshake on the executor (a server waits for the ClientHello). Idempotent. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            executor.execute(this::run);
        }
    }

    /** A DTLS datagram from the peer; called on the network thread, never blocks. */
    public void onDatagram(byte[] datagram) {
        transport.offer(datagram);
    }

    public DtlsRole role() {
        return role;
    }

    /** Datagrams dropped because the handshake thread fell behind (the queue was full). */
    public long droppedDatagrams() {
        return transport.dropped();
    }

    /** Closes the association (close_notify if established) and frees the thread. Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        DTLSTransport dtls = established;
        if (dtls != null) {
            try {
                dtls.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing DTLS failed", e);
            }
        }
        transport.close();
    }

    private void run() {
        String previousName = Thread.currentThread().getName();
        Thread.currentThread().setName("dtls-" + role.name().toLowerCase());
        try {
            BcTlsCrypto crypto = new BcTlsCrypto(RANDOM);
            DtlsSrtpServer.PeerEvents events = new Events();
            DTLSTransport dtls = role == DtlsRole.SERVER
                    ? new DTLSServerProtocol().accept(
                            new DtlsSrtpServer(crypto, certificate, peerCheck, handshakeTimeoutMillis, events), transport)
                    : new DTLSClientProtocol().connect(
                            new DtlsSrtpClient(crypto, certificate, peerCheck, handshakeTimeoutMillis, events), transport);
            established = dtls;
            if (closed) {
                dtls.close();
                return;
            }
            readUntilClosed(dtls);
        } catch (IOException | RuntimeException e) {
            if (finished.compareAndSet(false, true)) {
                if (!closed) {
                    listener.onHandshakeFailed(e);
                }
            } else if (!closed) {
                listener.onClosed();
            }
        } finally {
            Thread.currentThread().setName(previousName);
        }
    }

    /** Keeps BC's record layer running: it resends its last flight when the peer retransmits. */
    private void readUntilClosed(DTLSTransport dtls) throws IOException {
        byte[] buffer = new byte[transport.getReceiveLimit()];
        while (!closed) {
            int received = dtls.receive(buffer, 0, buffer.length, READ_WAIT_MILLIS);
            if (received >= 0) {
                // SCTP data channels are not offered by the node; anything here is dropped.
                applicationDataDropped.increment();
            }
        }
    }

    private final class Events implements DtlsSrtpServer.PeerEvents {
        @Override
        public void handshakeComplete(int profile, byte[] keyingMaterial) {
            if (finished.compareAndSet(false, true)) {
                listener.onHandshakeComplete(new DtlsResult(profile, keyingMaterial, role,
                        peerCheck.verifiedFingerprint()));
            }
        }

        @Override
        public void alertReceived(short level, short description) {
            if (DtlsSrtpServer.endsAssociation(level, description) && finished.get() && !closed) {
                closed = true;
                transport.close();
                listener.onClosed();
            }
        }
    }
}
