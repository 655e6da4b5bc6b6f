package org.adam.sfu.webrtc.dtls;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** BouncyCastle client side of DTLS-SRTP, the mirror of {@link DtlsSrtpServer} (node-to-node pipes). */
final class DtlsSrtpClient extends DefaultTlsClient {

    private final BcTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final PeerCertificateCheck peerCheck;
    private final int handshakeTimeoutMillis;
    private final DtlsSrtpServer.PeerEvents events;
    private int chosenProfile = -1;

    DtlsSrtpClient(BcTlsCrypto crypto, DtlsCertificate certificate, PeerCertificateCheck peerCheck,
                   int handshakeTimeoutMillis, DtlsSrtpServer.PeerEvents events) {
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
        return TlsUtils.getSupportedCipherSuites(crypto, DtlsSrtpServer.CIPHER_SUITES);
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
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(SrtpProfiles.PREFERRED, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData selected = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (selected == null || selected.getProtectionProfiles().length != 1
                || SrtpProfiles.choose(selected.getProtectionProfiles()) < 0) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }
        chosenProfile = selected.getProtectionProfiles()[0];
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                peerCheck.verify(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return DtlsSrtpServer.signer(crypto, new TlsCryptoParameters(context), certificate);
            }
        };
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
}
