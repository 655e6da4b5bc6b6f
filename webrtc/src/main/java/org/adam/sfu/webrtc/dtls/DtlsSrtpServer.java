package org.adam.sfu.webrtc.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * BouncyCastle server side of DTLS-SRTP: DTLS 1.2 only, ECDHE-ECDSA suites, a client certificate
 * required and checked against the SDP fingerprint, use_srtp negotiated, extended master secret
 * required, keying material exported on completion.
 */
final class DtlsSrtpServer extends DefaultTlsServer {

    static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    };

    private final BcTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final PeerCertificateCheck peerCheck;
    private final int handshakeTimeoutMillis;
    private final PeerEvents events;
    private int chosenProfile = -1;

    /** What the endpoint needs to hear from inside the handshake. */
    interface PeerEvents {
        void handshakeComplete(int profile, byte[] keyingMaterial);

        void alertReceived(short level, short description);
    }

    DtlsSrtpServer(BcTlsCrypto crypto, DtlsCertificate certificate, PeerCertificateCheck peerCheck,
                   int handshakeTimeoutMillis, PeerEvents events) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.peerCheck = peerCheck;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.events = events;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(crypto, CIPHER_SUITES);
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return signer(crypto, context == null ? null : new TlsCryptoParameters(context), certificate);
    }

    static TlsCredentialedSigner signer(BcTlsCrypto crypto, TlsCryptoParameters parameters,
                                        DtlsCertificate certificate) throws IOException {
        TlsCertificate tlsCertificate = crypto.createCertificate(certificate.encoded());
        return new BcDefaultTlsCredentialedSigner(parameters, crypto, certificate.privateKey(),
                new Certificate(new TlsCertificate[] {tlsCertificate}),
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        Vector<SignatureAndHashAlgorithm> algorithms = new Vector<>();
        algorithms.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        algorithms.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa));
        algorithms.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256);
        algorithms.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        peerCheck.verify(clientCertificate);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        chosenProfile = offered == null ? -1 : SrtpProfiles.choose(offered.getProtectionProfiles());
        if (chosenProfile < 0) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {chosenProfile}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        events.handshakeComplete(chosenProfile, SrtpProfiles.exportKeyingMaterial(context, chosenProfile));
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        events.alertReceived(alertLevel, alertDescription);
    }

    static boolean endsAssociation(short level, short description) {
        return level == AlertLevel.fatal || description == AlertDescription.close_notify;
    }
}
