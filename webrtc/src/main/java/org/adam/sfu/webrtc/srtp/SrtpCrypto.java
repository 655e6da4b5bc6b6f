package org.adam.sfu.webrtc.srtp;

/**
 * Which implementation of the SRTP ciphers a context runs (decision 0014). The choice sits behind
 * {@link SrtpTransform}; the contexts' index, replay and rollover logic is the same for all.
 */
public enum SrtpCrypto {
    /**
     * Counter mode, GHASH and HMAC of our own over the JDK's AES/ECB and SHA-1 (both keyed once
     * per session, both with CPU intrinsics): nothing is allocated per packet. The default for
     * AES_CM_128_HMAC_SHA1_80; for AEAD_AES_128_GCM it is the fallback, its table-driven GHASH
     * being slower than the JDK's carry-less-multiply intrinsic.
     */
    JAVA,
    /**
     * The JDK's AES/CTR, HmacSHA1 and AES/GCM, initialised per packet: a new IV parameter
     * object, and for GCM a new engine state, per packet. The default for AEAD_AES_128_GCM,
     * where it is the fastest of the two despite its garbage (about 1 KB per packet).
     */
    JCE,
    /**
     * AES-GCM on OpenSSL's libcrypto through our JNI library (decision 0016): keyed once,
     * nothing allocated per packet, the fastest GCM here. The default for AEAD_AES_128_GCM when
     * the library loaded ({@link #opensslAvailable()}); AES-CM under it runs as {@link #JAVA}
     * (SHA-1 dominates that profile whatever the library, decision 0014).
     */
    OPENSSL;

    /** What a context runs when not told: the fastest on the packet path (decisions 0014, 0016). */
    public static SrtpCrypto defaultFor(SrtpProfile profile) {
        return switch (profile) {
            case AES_CM_128_HMAC_SHA1_80 -> JAVA;
            case AEAD_AES_128_GCM -> opensslAvailable() ? OPENSSL : JCE;
        };
    }

    /** Whether the OpenSSL library loaded on this machine (it is built only where OpenSSL's headers were). */
    public static boolean opensslAvailable() {
        return OpensslGcm.available();
    }
}
