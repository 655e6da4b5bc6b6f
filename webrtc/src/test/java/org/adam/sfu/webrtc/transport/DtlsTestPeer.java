package org.adam.sfu.webrtc.transport;

import java.io.IOException;
import java.math.BigInteger;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Hashtable;

import org.adam.sfu.webrtc.dtls.DtlsCertificate;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunParseException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UDPTransport;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The far side of a transport, as a browser is: its own UDP socket on loopback, ICE checks
 * (built by the node's own checker, as the controlling agent) and BouncyCastle's DTLS client with
 * a certificate of its own. Blocking, like the browser's network thread; one per test thread.
 */
final class DtlsTestPeer implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Identity IDENTITY = Identity.generate();

    private final DatagramSocket socket;
    private final IceCredentials credentials = IceCredentials.random(RANDOM);

    DtlsTestPeer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    }

    /** What the node learns from this peer's SDP: its ICE credentials and certificate fingerprint. */
    RemoteParameters remoteParameters() {
        return new RemoteParameters(credentials.ufrag(), credentials.pwd(), IDENTITY.fingerprint, DtlsRole.SERVER);
    }

    /** Sends checks until the node answers one; the node then knows this socket's address. */
    void connectIce(LocalTransportParams node, InetSocketAddress nodeAddress, Duration timeout) throws IOException {
        connectIce(node, nodeAddress, timeout, IceConnectivityChecker.Role.CONTROLLING);
    }

    /** As {@link #connectIce(LocalTransportParams, InetSocketAddress, Duration)}; CONTROLLED checks nominate nothing. */
    void connectIce(LocalTransportParams node, InetSocketAddress nodeAddress, Duration timeout,
                    IceConnectivityChecker.Role role) throws IOException {
        IceConnectivityChecker checker = new IceConnectivityChecker(credentials,
                new IceCredentials(node.iceUfrag(), node.icePwd()), nodeAddress, RANDOM, role);
        byte[] buffer = new byte[1500];
        long deadline = System.nanoTime() + timeout.toNanos();
        socket.setSoTimeout(20);
        while (System.nanoTime() < deadline) {
            byte[] check = checker.poll(System.currentTimeMillis());
            if (check != null) {
                socket.send(new DatagramPacket(check, check.length, nodeAddress));
            }
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                StunMessage response = StunMessage.parse(buffer, 0, packet.getLength());
                if (checker.onResponse(response, (InetSocketAddress) packet.getSocketAddress())) {
                    return;
                }
            } catch (SocketTimeoutException | StunParseException e) {
                // not answered yet: the checker says when to send again
            }
        }
        throw new IOException("the node did not answer an ICE check within " + timeout);
    }

    void send(byte[] datagram, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
    }

    /** This peer's ICE credentials, as its SDP gives them. */
    IceCredentials iceCredentials() {
        return credentials;
    }

    /** A whole DTLS-SRTP handshake as the client over {@code transport}. Blocks until it completes or fails. */
    void handshake(DatagramTransport transport, Duration timeout) throws IOException {
        new DTLSClientProtocol().connect(new Client((int) timeout.toMillis()), transport);
    }

    /** A whole DTLS-SRTP handshake as the client. Blocks until it completes or fails. */
    void handshake(InetSocketAddress nodeAddress, Duration timeout) throws IOException {
        socket.connect(nodeAddress);
        new DTLSClientProtocol().connect(new Client((int) timeout.toMillis()), new UDPTransport(socket, 1500));
    }

    /**
     * The first flight of this peer's handshake, a ClientHello offering use_srtp: what a client
     * that starts a handshake and then goes quiet sends.
     */
    static byte[] clientHello() {
        byte[][] first = new byte[1][];
        DatagramTransport capture = new DatagramTransport() {
            @Override
            public int getReceiveLimit() {
                return 1500;
            }

            @Override
            public int getSendLimit() {
                return 1200;
            }

            @Override
            public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
                throw new IOException("captured the ClientHello");
            }

            @Override
            public void send(byte[] buf, int off, int len) {
                if (first[0] == null) {
                    first[0] = java.util.Arrays.copyOfRange(buf, off, off + len);
                }
            }

            @Override
            public void close() {
            }
        };
        try {
            new DTLSClientProtocol().connect(new Client(1000), capture);
        } catch (IOException expected) {
            // the capture transport ends the handshake after the first flight
        }
        if (first[0] == null) {
            throw new IllegalStateException("BouncyCastle sent no ClientHello");
        }
        return first[0];
    }

    @Override
    public void close() {
        socket.close();
    }

    private record Identity(byte[] der, AsymmetricKeyParameter key, String fingerprint) {
        static Identity generate() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                KeyPair keys = generator.generateKeyPair();
                X500Name name = new X500Name("CN=test-peer");
                Instant now = Instant.now();
                byte[] der = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(RANDOM.nextInt(1 << 30)),
                        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))), name,
                        keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
                return new Identity(der, PrivateKeyFactory.createKey(keys.getPrivate().getEncoded()),
                        DtlsCertificate.fingerprintSha256(der));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A WebRTC-like DTLS 1.2 client: ECDSA certificate, use_srtp, extended master secret. */
    private static final class Client extends DefaultTlsClient {
        private final BcTlsCrypto crypto;
        private final int timeoutMillis;

        Client(int timeoutMillis) {
            this(new BcTlsCrypto(RANDOM), timeoutMillis);
        }

        private Client(BcTlsCrypto crypto, int timeoutMillis) {
            super(crypto);
            this.crypto = crypto;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
        }

        @Override
        public boolean requiresExtendedMasterSecret() {
            return true;
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return timeoutMillis;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {
                SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
            }, TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                    // the node's fingerprint is not what these tests are about
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    TlsCertificate certificate = crypto.createCertificate(IDENTITY.der);
                    return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                            IDENTITY.key, new Certificate(new TlsCertificate[] {certificate}),
                            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
                }
            };
        }
    }
}
