package org.adam.sfu.webrtc.srtp;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * HMAC-SHA1 (RFC 2104) over one reused SHA-1 digest. The JDK's {@code Mac} returns a fresh array
 * from every {@code doFinal}, even {@code doFinal(byte[], int)}; this writes into the caller's.
 *
 * <p>Not thread-safe. Use: {@link #start()}, any number of {@link #update}, then {@link #finish}.
 */
final class HmacSha1 implements PacketMac {

    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];

    HmacSha1(byte[] key) {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
        byte[] k = key.length > BLOCK ? sha1.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
    }

    void start() {
        sha1.reset();
        sha1.update(innerPad);
    }

    void update(byte[] data, int offset, int length) {
        sha1.update(data, offset, length);
    }

    @Override
    public void compute(byte[] data, int offset, int length, byte[] out) {
        start();
        update(data, offset, length);
        finish(out, 0);
    }

    /** Writes the 20-byte MAC to {@code out} at {@code offset}. */
    void finish(byte[] out, int offset) {
        try {
            sha1.digest(inner, 0, LENGTH);
            sha1.update(outerPad);
            sha1.update(inner);
            sha1.digest(out, offset, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 output buffer too small", e);
        }
    }
}
