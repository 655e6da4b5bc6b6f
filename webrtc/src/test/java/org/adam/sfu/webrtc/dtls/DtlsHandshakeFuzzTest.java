package org.adam.sfu.webrtc.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayDeque;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Coverage-guided fuzzing of DTLS record and handshake parsing as a peer reaches it: the node's
 * own DTLS-SRTP server (and client, for pipes) on BouncyCastle, fed the fuzzer's datagrams in
 * order. The contract is the one {@link DtlsEndpoint} relies on: a handshake either completes or
 * fails with an {@link IOException} (a fatal alert, or here the end of the input); any other
 * exception is a finding. The server runs with and without the cookie exchange: a peer that
 * echoes its cookie reaches everything behind it.
 */
class DtlsHandshakeFuzzTest {

    private static final DtlsCertificate CERTIFICATE = DtlsCertificate.generate();
    private static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 1000;
    private static final DtlsSrtpServer.PeerEvents EVENTS = new DtlsSrtpServer.PeerEvents() {
        @Override
        public void handshakeComplete(int profile, byte[] keyingMaterial) {
        }

        @Override
        public void alertReceived(short level, short description) {
        }
    };

    @FuzzTest
    void failsOnlyWithIoExceptions(FuzzedDataProvider data) {
        int mode = data.consumeInt(0, 2);
        ScriptedTransport transport = new ScriptedTransport();
        for (int i = 0; i < 8 && data.remainingBytes() > 0; i++) {
            transport.incoming.add(data.consumeBytes(data.consumeInt(0, 1400)));
        }
        PeerCertificateCheck peer = new PeerCertificateCheck(CERTIFICATE.fingerprintSha256());
        try {
            if (mode == 2) {
                new DTLSClientProtocol().connect(
                        new DtlsSrtpClient(CRYPTO, CERTIFICATE, peer, HANDSHAKE_TIMEOUT_MILLIS, EVENTS), transport);
            } else {
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                protocol.setVerifyRequests(mode == 0);
                protocol.accept(new DtlsSrtpServer(CRYPTO, CERTIFICATE, peer, HANDSHAKE_TIMEOUT_MILLIS, EVENTS),
                        transport);
            }
        } catch (IOException expected) {
            // a fatal alert, or the input ran out
        }
    }

    /** Hands out the fuzzer's datagrams one by one, then ends the handshake; drops what is sent. */
    private static final class ScriptedTransport implements DatagramTransport {
        final ArrayDeque<byte[]> incoming = new ArrayDeque<>();

        @Override
        public int getReceiveLimit() {
            return 2048;
        }

        @Override
        public int getSendLimit() {
            return 1200 - 13;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            byte[] datagram = incoming.poll();
            if (datagram == null) {
                throw new IOException("end of fuzz input");
            }
            int length = Math.min(len, datagram.length);
            System.arraycopy(datagram, 0, buf, off, length);
            return length;
        }

        @Override
        public void send(byte[] buf, int off, int len) {
        }

        @Override
        public void close() {
        }
    }
}
