package org.adam.sfu.webrtc.srtp;

/**
 * AES-128-GCM (NIST SP 800-38D) with 12-byte IVs and 16-byte tags, from {@link AesCounterMode}
 * and {@link Ghash}: one ECB call per packet makes both the tag mask E(K, J0) and the payload's
 * keystream. Works in place on a heap array; allocates nothing per packet.
 *
 * <p>Not thread-safe.
 */
final class AesGcm implements GcmCipher {

    private final AesCounterMode aes;
    private final Ghash ghash;
    private final byte[] j0 = new byte[16];
    private final byte[] tag = new byte[TAG];

    AesGcm(byte[] key) {
        aes = new AesCounterMode(key);
        byte[] h = new byte[16];
        aes.encryptBlock(new byte[16], 0, h, 0);
        ghash = new Ghash(h);
    }

    /**
     * Encrypts {@code buf[text, text + textLength)} in place and writes the tag right after it;
     * {@code buf[aad, aad + aadLength)} is authenticated only.
     */
    @Override
    public void seal(byte[] iv, byte[] buf, int aad, int aadLength, int text, int textLength) {
        byte[] keystream = start(iv, textLength);
        AesCounterMode.xor(keystream, 16, buf, text, textLength);
        tag(keystream, buf, aad, aadLength, text, textLength);
        System.arraycopy(tag, 0, buf, text + textLength, TAG);
    }

    /**
     * Verifies the tag at {@code buf[text + textLength, +16)} and, if it matches, decrypts
     * {@code buf[text, text + textLength)} in place.
     *
     * @return false (and the buffer untouched) if authentication fails
     */
    @Override
    public boolean open(byte[] iv, byte[] buf, int aad, int aadLength, int text, int textLength) {
        byte[] keystream = start(iv, textLength);
        tag(keystream, buf, aad, aadLength, text, textLength);
        int diff = 0;
        for (int i = 0; i < TAG; i++) {
            diff |= tag[i] ^ buf[text + textLength + i];
        }
        if (diff != 0) {
            return false;
        }
        AesCounterMode.xor(keystream, 16, buf, text, textLength);
        return true;
    }

    /** J0 = IV || 0^31 || 1 (7.1 step 2); keystream block 0 is E(K, J0), the text's from block 1. */
    private byte[] start(byte[] iv, int textLength) {
        System.arraycopy(iv, 0, j0, 0, 12);
        j0[12] = 0;
        j0[13] = 0;
        j0[14] = 0;
        j0[15] = 1;
        return aes.keystream(j0, 16 + textLength);
    }

    /** T = E(K, J0) xor GHASH(A || pad || C || pad || len(A) || len(C)), over the ciphertext. */
    private void tag(byte[] keystream, byte[] buf, int aad, int aadLength, int text, int textLength) {
        ghash.reset();
        ghash.update(buf, aad, aadLength);
        ghash.update(buf, text, textLength);
        ghash.lengths(aadLength, textLength);
        ghash.digest(tag, 0);
        for (int i = 0; i < TAG; i++) {
            tag[i] ^= keystream[i];
        }
    }
}
