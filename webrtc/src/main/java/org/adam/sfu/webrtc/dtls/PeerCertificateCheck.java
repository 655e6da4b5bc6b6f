package org.adam.sfu.webrtc.dtls;

import java.io.IOException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * The only authentication DTLS-SRTP has: the peer's certificate must hash to the fingerprint its
 * SDP announced (RFC 5763 5, RFC 8122). Self-signed certificates are expected; no chain is built.
 */
final class PeerCertificateCheck {

    private final String expectedFingerprint;
    private volatile String verifiedFingerprint;

    PeerCertificateCheck(String expectedFingerprint) {
        this.expectedFingerprint = expectedFingerprint;
    }

    void verify(Certificate certificate) throws IOException {
        if (certificate == null || certificate.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.certificate_required);
        }
        String actual = DtlsCertificate.fingerprintSha256(certificate.getCertificateAt(0).getEncoded());
        if (!DtlsCertificate.fingerprintsMatch(actual, expectedFingerprint)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
        verifiedFingerprint = actual;
    }

    String verifiedFingerprint() {
        return verifiedFingerprint;
    }
}
