package org.adam.sfu.webrtc.srtp;

/** AES-128-GCM with 12-byte IVs and 16-byte tags, keyed for one session, working in place. */
interface GcmCipher {

    int TAG = 16;

    /**
     * Encrypts {@code buf[text, text + textLength)} in place and writes the tag right after it;
     * {@code buf[aad, aad + aadLength)} is authenticated only.
     */
    void seal(byte[] iv, byte[] buf, int aad, int aadLength, int text, int textLength);

    /**
     * Verifies the tag at {@code buf[text + textLength, +16)} and, if it matches, decrypts
     * {@code buf[text, text + textLength)} in place.
     *
     * @return false if authentication fails (the text is then not to be used)
     */
    boolean open(byte[] iv, byte[] buf, int aad, int aadLength, int text, int textLength);
}
