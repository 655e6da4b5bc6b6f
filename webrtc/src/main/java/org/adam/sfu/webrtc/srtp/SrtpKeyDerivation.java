package org.adam.sfu.webrtc.srtp;

import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-CM key derivation function of RFC 3711 section 4.3 with a key derivation rate of 0
 * (what DTLS-SRTP uses), also used by AEAD_AES_128_GCM (RFC 7714 section 11) with its 12-byte
 * salt: x = (label || 0^48) XOR master_salt, output = AES-CTR(master_key, x || 0^16).
 */
public final class SrtpKeyDerivation {

    public static final int LABEL_RTP_ENCRYPTION = 0;
    public static final int LABEL_RTP_AUTH = 1;
    public static final int LABEL_RTP_SALT = 2;
    public static final int LABEL_RTCP_ENCRYPTION = 3;
    public static final int LABEL_RTCP_AUTH = 4;
    public static final int LABEL_RTCP_SALT = 5;

    private SrtpKeyDerivation() {
    }

    public static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        // The 56-bit key_id (label || 48-bit r, r = 0) is right-aligned to the 112-bit salt field.
        iv[7] ^= (byte) label;
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new IvParameterSpec(iv));
            return aes.doFinal(new byte[length]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is part of every JDK", e);
        }
    }
}
