package org.adam.sfu.webrtc.srtp;

/** The SRTP protection profiles a node negotiates through DTLS use_srtp (RFC 5764 4.1.2, RFC 7714 14.2). */
public enum SrtpProfile {
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10),
    AEAD_AES_128_GCM(0x0007, 16, 12, 16);

    private final int id;
    private final int keyLength;
    private final int saltLength;
    private final int tagLength;

    SrtpProfile(int id, int keyLength, int saltLength, int tagLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.tagLength = tagLength;
    }

    /** The profile with this use_srtp id, or null. */
    public static SrtpProfile fromId(int id) {
        for (SrtpProfile profile : values()) {
            if (profile.id == id) {
                return profile;
            }
        }
        return null;
    }

    public int id() {
        return id;
    }

    public int keyLength() {
        return keyLength;
    }

    public int saltLength() {
        return saltLength;
    }

    /** Authentication tag appended to each SRTP packet (and, for AES-CM, each SRTCP packet). */
    public int tagLength() {
        return tagLength;
    }

    /** Bytes of DTLS keying material to export: client and server key and salt (RFC 5764 4.2). */
    public int exportLength() {
        return 2 * (keyLength + saltLength);
    }
}
