package org.adam.sfu.webrtc.dtls;

import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.TlsContext;

/** The use_srtp profiles the node offers and accepts, best first (field notes: prefer GCM). */
final class SrtpProfiles {

    static final int[] PREFERRED = {
        SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM,
        SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
    };

    /** Our first preference the peer offers, or -1. */
    static int choose(int[] offered) {
        for (int preferred : PREFERRED) {
            for (int profile : offered) {
                if (profile == preferred) {
                    return profile;
                }
            }
        }
        return -1;
    }

    /** Bytes of keying material the profile needs: 2 * (key + salt) (RFC 5764 4.2, RFC 7714 12). */
    static int exportLength(int profile) {
        return switch (profile) {
            case SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM -> 2 * (16 + 12);
            case SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80 -> 2 * (16 + 14);
            default -> throw new IllegalArgumentException("unsupported SRTP profile " + profile);
        };
    }

    /**
     * The SRTP keying material of a finished handshake (RFC 5764 4.2). BouncyCastle allows the
     * export only from inside notifyHandshakeComplete, and only with extended master secret.
     */
    static byte[] exportKeyingMaterial(TlsContext context, int profile) {
        return context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, exportLength(profile));
    }

    private SrtpProfiles() {
    }
}
