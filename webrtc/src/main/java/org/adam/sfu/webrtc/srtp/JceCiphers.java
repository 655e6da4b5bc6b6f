package org.adam.sfu.webrtc.srtp;

import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SRTP primitives on the JDK's own ciphers ({@link SrtpCrypto#JCE}): AES/CTR and AES/GCM are
 * initialised per packet (a new parameter object, and for GCM new engine state, each time) and
 * {@code Mac.doFinal} returns a fresh array; faster than our own GCM all the same (decision 0014).
 */
final class JceCiphers {

    private JceCiphers() {
    }

    static CounterModeCipher counterMode(byte[] key) {
        Cipher ctr = instance("AES/CTR/NoPadding");
        SecretKeySpec spec = new SecretKeySpec(key, "AES");
        return new CounterModeCipher() {
            // The JDK's CTR copies its input when asked to work in place: out of place, then back.
            private byte[] out = new byte[2048];

            @Override
            public void crypt(byte[] iv, byte[] data, int offset, int length) {
                if (out.length < length) {
                    out = new byte[length];
                }
                try {
                    ctr.init(Cipher.ENCRYPT_MODE, spec, new IvParameterSpec(iv));
                    ctr.doFinal(data, offset, length, out, 0);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("AES-CTR failed", e);
                }
                System.arraycopy(out, 0, data, offset, length);
            }
        };
    }

    static PacketMac hmacSha1(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return (data, offset, length, out) -> {
                mac.update(data, offset, length);
                try {
                    mac.doFinal(out, 0);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("HmacSHA1 failed", e);
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    static GcmCipher gcm(byte[] key) {
        Cipher gcm = instance("AES/GCM/NoPadding");
        SecretKeySpec spec = new SecretKeySpec(key, "AES");
        return new GcmCipher() {
            @Override
            public void seal(byte[] iv, byte[] buf, int aad, int aadLength, int text, int textLength) {
                try {
                    gcm.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(TAG * 8, iv));
                    gcm.updateAAD(buf, aad, aadLength);
                    gcm.doFinal(buf, text, textLength, buf, text);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("AES-GCM encryption failed", e);
                }
            }

            @Override
            public boolean open(byte[] iv, byte[] buf, int aad, int aadLength, int text, int textLength) {
                try {
                    gcm.init(Cipher.DECRYPT_MODE, spec, new GCMParameterSpec(TAG * 8, iv));
                    gcm.updateAAD(buf, aad, aadLength);
                    gcm.doFinal(buf, text, textLength + TAG, buf, text);
                    return true;
                } catch (AEADBadTagException e) {
                    return false;
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("AES-GCM decryption failed", e);
                }
            }
        };
    }

    private static Cipher instance(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(transformation + " is part of every JDK", e);
        }
    }
}
