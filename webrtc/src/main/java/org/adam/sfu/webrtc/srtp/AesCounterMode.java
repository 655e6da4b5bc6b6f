package org.adam.sfu.webrtc.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES keystream for counter mode, made by encrypting a run of counter blocks with one reused
 * AES/ECB cipher (keyed once, so no per-packet {@code Cipher.init} and nothing allocated per
 * call). Block i is the initial block with i added to its last 32 bits, modulo 2^32: GCM's inc32
 * (NIST SP 800-38D 6.2), and the same as RFC 3711 4.1.1's 128-bit addition there, since SRTP's
 * counter starts with its low 16 bits zero and no packet reaches 2^16 blocks.
 *
 * <p>Not thread-safe: the counter and keystream arrays are reused (allocated by this, grown to
 * the longest run asked for).
 */
final class AesCounterMode implements CounterModeCipher {

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** For the XOR, where byte order does not matter: the machine's own. */
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Cipher ecb;
    private byte[] counters = new byte[2048];
    private byte[] keystream = new byte[2048];

    AesCounterMode(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is part of every JDK", e);
        }
    }

    /**
     * Encrypts the block {@code block} (16 bytes at {@code offset}) into {@code out} at
     * {@code outOffset}; for GCM's hash key and tag mask.
     */
    void encryptBlock(byte[] block, int offset, byte[] out, int outOffset) {
        try {
            ecb.update(block, offset, 16, out, outOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB failed", e);
        }
    }

    /**
     * Fills the keystream array with {@code length} bytes (rounded up to whole blocks) from the
     * counter block {@code initial} (16 bytes at offset 0) and returns it; valid until the next call.
     */
    byte[] keystream(byte[] initial, int length) {
        int bytes = (length + 15) & ~15;
        if (counters.length < bytes) {
            counters = new byte[bytes];
            keystream = new byte[bytes];
        }
        long prefix = (long) LONG.get(initial, 0);
        int middle = (int) INT.get(initial, 8);
        int counter = (int) INT.get(initial, 12);
        byte[] blocks = counters;
        for (int at = 0; at < bytes; at += 16) {
            LONG.set(blocks, at, prefix);
            INT.set(blocks, at + 8, middle);
            INT.set(blocks, at + 12, counter++);
        }
        try {
            ecb.update(blocks, 0, bytes, keystream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB failed", e);
        }
        return keystream;
    }

    /** XORs {@code data[offset, offset + length)} with the keystream from {@code initial}, in place. */
    @Override
    public void crypt(byte[] initial, byte[] data, int offset, int length) {
        if (length <= 0) {
            return;
        }
        xor(keystream(initial, length), 0, data, offset, length);
    }

    /**
     * data[offset + i] ^= stream[from + i], eight bytes at a time: on JDK 17 the JIT turns the
     * plain byte loop over two arrays at unrelated offsets into something 60 times slower.
     */
    static void xor(byte[] stream, int from, byte[] data, int offset, int length) {
        int i = 0;
        for (; i <= length - 8; i += 8) {
            WORD.set(data, offset + i, (long) WORD.get(data, offset + i) ^ (long) WORD.get(stream, from + i));
        }
        for (; i < length; i++) {
            data[offset + i] ^= stream[from + i];
        }
    }
}
