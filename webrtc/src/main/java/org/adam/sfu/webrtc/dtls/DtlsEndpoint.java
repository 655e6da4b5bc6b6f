package org.adam.sfu.webrtc.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.HandshakeType;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer connection's DTLS association. The network thread only offers datagrams
 * ({@link #onDatagram}) and never waits.
 *
 * <p>The handshake is BouncyCastle's, which blocks, so it runs on a thread of the node's
 * {@link DtlsHandshakePool} (decision 0020): a client's from {@link #start}, a server's from
 * the peer's ClientHello (a peer that never sends one costs no thread). It has a deadline, counted
 * from {@link #start}: a handshake not finished by then is abandoned and reported failed.
 *
 * <p>After the handshake the thread is given back. The association's later records (the peer's
 * retransmitted last flight, which BouncyCastle answers by resending ours; close_notify and
 * alerts; application data, which the node does not use) are processed when they arrive, on the
 * thread that delivers them, by a non-blocking read of BouncyCastle's record layer.
 *
 * <p>Why it stays one class at about 300 lines: the handshake thread, the deadline timer and the
 * threads that deliver datagrams meet on the same flags (started, complete, over) and the same
 * record lock; kept in one class, the rules for who may touch what are in one place.
 */
public final class DtlsEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(DtlsEndpoint.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Record header (13 bytes) then the handshake message type (RFC 6347 4.1, 4.2.2). */
    private static final int RECORD_HEADER = 13;
    private static final long BACKSTOP_MILLIS = 500;

    private final DtlsRole role;
    private final DtlsCertificate certificate;
    private final PeerCertificateCheck peerCheck;
    private final DtlsListener listener;
    private final DtlsHandshakePool pool;
    private final long timeoutMillis;
    private final QueueDatagramTransport transport;
    private final Runnable handshake = this::handshake;
    /** Held while the established record layer reads, so datagrams from two threads are taken in turn. */
    private final Object records = new Object();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean submitted = new AtomicBoolean();
    /** BouncyCastle reported the handshake complete (keys exported). */
    private final AtomicBoolean completed = new AtomicBoolean();
    /** The association is over: closed here, by the peer, or failed. Reported at most once. */
    private final AtomicBoolean ended = new AtomicBoolean();
    private final LongAdder applicationDataDropped = new LongAdder();
    private volatile long deadlineNanos;
    private volatile ScheduledFuture<?> deadline;
    private volatile DTLSTransport established;
    /** Plaintext of established records; guarded by {@link #records}. */
    private byte[] recordBuffer;

    public DtlsEndpoint(DtlsRole role, DtlsCertificate certificate, String expectedPeerFingerprint,
                        DtlsOutput output, DtlsListener listener, DtlsHandshakePool pool, int mtu,
                        Duration handshakeTimeout) {
        this.role = role;
        this.certificate = certificate;
        this.peerCheck = new PeerCertificateCheck(expectedPeerFingerprint);
        this.listener = listener;
        this.pool = pool;
        this.timeoutMillis = Math.max(1, handshakeTimeout.toMillis());
        this.transport = new QueueDatagramTransport(output, mtu);
    }

    /**
     * Starts the handshake's clock; a client's handshake is queued for a thread now, a server's
     * when the ClientHello is here. Idempotent.
     */
    public void start() {
        if (ended.get() || started.get()) {
            return;
        }
        deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        if (!started.compareAndSet(false, true)) {
            return;
        }
        deadline = pool.atDeadline(this::abandonAtDeadline, timeoutMillis);
        if (role == DtlsRole.CLIENT || transport.hasQueued()) {
            submit();
        }
    }

    /** A DTLS datagram from the peer; called on the network thread, never blocks. */
    public void onDatagram(byte[] datagram) {
        if (ended.get()) {
            return;
        }
        if (role == DtlsRole.SERVER && !submitted.get()) {
            if (!startsWithClientHello(datagram)) {
                transport.countDropped();
                return;
            }
            transport.offer(datagram);
            if (started.get()) {
                submit();
            }
            return;
        }
        transport.offer(datagram);
        if (established != null) {
            processRecords();
        }
    }

    public DtlsRole role() {
        return role;
    }

    /** Datagrams dropped: the queue was full, or a server got something other than a ClientHello first. */
    public long droppedDatagrams() {
        return transport.dropped();
    }

    /** Application data records received (the node offers no data channels, so they are dropped). */
    public long applicationDataDropped() {
        return applicationDataDropped.sum();
    }

    /** Whether a pool thread is or will be running the handshake (for tests). */
    boolean handshakeSubmitted() {
        return submitted.get();
    }

    /**
     * Closes the association (close_notify if established) and frees its handshake thread or
     * queue slot; the listener hears nothing more. Idempotent, any thread.
     */
    public void close() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        DTLSTransport dtls = established;
        if (dtls != null) {
            synchronized (records) {
                closeQuietly(dtls);
            }
        }
        release();
    }

    private void submit() {
        if (ended.get() || !submitted.compareAndSet(false, true)) {
            return;
        }
        if (!pool.submit(handshake, role == DtlsRole.SERVER ? "a client" : "a server")) {
            fail(new IOException("refused: the node is running and queueing as many DTLS handshakes as it may"));
        }
    }

    private void handshake() {
        if (ended.get()) {
            return; // closed or abandoned while it waited for a thread
        }
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (remainingMillis < 1) {
            abandonAtDeadline();
            return;
        }
        // BouncyCastle's own timer is a backstop: the pool's deadline abandons the handshake first.
        int timeout = (int) Math.min(Integer.MAX_VALUE, remainingMillis + BACKSTOP_MILLIS);
        try {
            BcTlsCrypto crypto = new BcTlsCrypto(RANDOM);
            DtlsSrtpServer.PeerEvents events = new Events();
            DTLSTransport dtls = role == DtlsRole.SERVER
                    ? new DTLSServerProtocol().accept(
                            new DtlsSrtpServer(crypto, certificate, peerCheck, timeout, events), transport)
                    : new DTLSClientProtocol().connect(
                            new DtlsSrtpClient(crypto, certificate, peerCheck, timeout, events), transport);
            cancelDeadline();
            transport.stopWaiting();
            established = dtls;
            if (ended.get()) {
                closeQuietly(dtls);
                return;
            }
            // What arrived since BouncyCastle last read; later datagrams are read as they come.
            processRecords();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /**
     * Lets BouncyCastle's record layer take every queued datagram, without waiting for more: it
     * answers a retransmitted last flight, and reports alerts (close_notify ends the association).
     */
    private void processRecords() {
        boolean over = false;
        synchronized (records) {
            DTLSTransport dtls = established;
            if (dtls == null || ended.get()) {
                return;
            }
            try {
                if (recordBuffer == null) {
                    recordBuffer = new byte[dtls.getReceiveLimit()];
                }
                while (true) {
                    // A wait of 0 is "no timeout" to BouncyCastle: the transport ends the read when drained.
                    dtls.receive(recordBuffer, 0, recordBuffer.length, 0);
                    applicationDataDropped.increment();
                }
            } catch (InterruptedIOException drained) {
                // every queued datagram is processed
            } catch (IOException | RuntimeException e) {
                // a fatal alert, or a record BouncyCastle refuses: the association is over
                LOG.debug("DTLS association ended", e);
                over = true;
            }
        }
        if (over) {
            peerClosed();
        }
    }

    private void abandonAtDeadline() {
        if (!completed.get() && !ended.get()) {
            pool.countAbandoned();
            fail(new IOException("not finished within " + timeoutMillis + " ms"));
        }
    }

    /** The handshake failed (or, once completed, the association broke): reports it unless already over. */
    private void fail(Throwable cause) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        release();
        if (completed.get()) {
            listener.onClosed();
        } else {
            listener.onHandshakeFailed(cause);
        }
    }

    private void peerClosed() {
        if (ended.compareAndSet(false, true)) {
            release();
            listener.onClosed();
        }
    }

    /** Frees what the association holds: its deadline, its queue slot or thread (the transport wakes it). */
    private void release() {
        cancelDeadline();
        pool.withdraw(handshake);
        transport.close();
    }

    private void cancelDeadline() {
        ScheduledFuture<?> pending = deadline;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private static void closeQuietly(DTLSTransport dtls) {
        try {
            dtls.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing DTLS failed", e);
        }
    }

    /** Whether a datagram begins with a ClientHello record: the only thing a handshake starts from. */
    static boolean startsWithClientHello(byte[] datagram) {
        return datagram.length > RECORD_HEADER
                && datagram[0] == ContentType.handshake
                && datagram[3] == 0 && datagram[4] == 0 // epoch 0
                && datagram[RECORD_HEADER] == HandshakeType.client_hello;
    }

    private final class Events implements DtlsSrtpServer.PeerEvents {
        @Override
        public void handshakeComplete(int profile, byte[] keyingMaterial) {
            if (completed.compareAndSet(false, true) && !ended.get()) {
                listener.onHandshakeComplete(new DtlsResult(profile, keyingMaterial, role,
                        peerCheck.verifiedFingerprint()));
            }
        }

        @Override
        public void alertReceived(short level, short description) {
            if (DtlsSrtpServer.endsAssociation(level, description) && completed.get()) {
                peerClosed();
            }
        }
    }
}
