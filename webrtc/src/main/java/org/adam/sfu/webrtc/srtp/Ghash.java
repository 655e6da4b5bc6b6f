package org.adam.sfu.webrtc.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * GHASH (NIST SP 800-38D 6.4) with Shoup's 8-bit table: the 256 multiples of the hash key H
 * (4 KB per key, allocated by this), one lookup per byte, and the reduction of the 8 bits
 * shifted out per step done with shifts. A field element is two longs, big-endian, the first bit of the block being the
 * coefficient of x^0 (the GCM bit order), so multiplying by x is a right shift.
 *
 * <p>Not thread-safe: it holds the running hash.
 */
final class Ghash {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** x^128 = x^7 + x^2 + x + 1: the reduction added when a coefficient passes x^127. */
    private static final long R = 0xE100000000000000L;
    // hiTable[b], loTable[b]: b * H, b being the byte as a polynomial (its top bit x^0).
    private final long[] hiTable = new long[256];
    private final long[] loTable = new long[256];
    private long yHi;
    private long yLo;

    /** @param h the hash key, E(K, 0^128), 16 bytes at offset 0 */
    Ghash(byte[] h) {
        long hi = (long) LONG.get(h, 0);
        long lo = (long) LONG.get(h, 8);
        for (int bit = 0x80; bit > 0; bit >>>= 1) {
            hiTable[bit] = hi;
            loTable[bit] = lo;
            boolean carry = (lo & 1) != 0;
            lo = (lo >>> 1) | (hi << 63);
            hi >>>= 1;
            if (carry) {
                hi ^= R;
            }
        }
        for (int b = 2; b < 256; b <<= 1) {
            for (int low = 1; low < b; low++) {
                hiTable[b | low] = hiTable[b] ^ hiTable[low];
                loTable[b | low] = loTable[b] ^ loTable[low];
            }
        }
    }

    void reset() {
        yHi = 0;
        yLo = 0;
    }

    /** Hashes {@code length} bytes, the last block zero-padded (GCM pads A and C each). */
    void update(byte[] data, int offset, int length) {
        int end = offset + length;
        int whole = offset + (length & ~15);
        for (int at = offset; at < whole; at += 16) {
            block((long) LONG.get(data, at), (long) LONG.get(data, at + 8));
        }
        if (whole < end) {
            long hi = 0;
            long lo = 0;
            for (int at = whole, shift = 120; at < end; at++, shift -= 8) {
                long b = data[at] & 0xFFL;
                if (shift >= 64) {
                    hi |= b << (shift - 64);
                } else {
                    lo |= b << shift;
                }
            }
            block(hi, lo);
        }
    }

    /** Hashes the final block: the bit lengths of A and C (6.4, step 5 of 7.1). */
    void lengths(long aadBytes, long textBytes) {
        block(aadBytes << 3, textBytes << 3);
    }

    /** Writes the hash to {@code out} at {@code offset} (16 bytes). */
    void digest(byte[] out, int offset) {
        LONG.set(out, offset, yHi);
        LONG.set(out, offset + 8, yLo);
    }

    /** Y = (Y xor X) * H, by Horner's rule over the 16 bytes, the last byte first. */
    private void block(long xHi, long xLo) {
        long hi = yHi ^ xHi;
        long lo = yLo ^ xLo;
        long[] hiT = hiTable;
        long[] loT = loTable;
        int b = (int) lo & 0xFF;
        long zHi = hiT[b];
        long zLo = loT[b];
        for (int shift = 8; shift < 64; shift += 8) {
            b = (int) (lo >>> shift) & 0xFF;
            long out = zLo << 56;
            zLo = (zLo >>> 8) | (zHi << 56);
            zHi = (zHi >>> 8) ^ reduce(out) ^ hiT[b];
            zLo ^= loT[b];
        }
        for (int shift = 0; shift < 64; shift += 8) {
            b = (int) (hi >>> shift) & 0xFF;
            long out = zLo << 56;
            zLo = (zLo >>> 8) | (zHi << 56);
            zHi = (zHi >>> 8) ^ reduce(out) ^ hiT[b];
            zLo ^= loT[b];
        }
        yHi = zHi;
        yLo = zLo;
    }

    /**
     * The 8 coefficients shifted past x^127 (x^120..x^127, placed as x^0..x^7 at the top of
     * {@code out}) times x^8, reduced: x^(128 + j) = x^j (1 + x + x^2 + x^7). Shifts only, so
     * no table load sits on the multiplication's chain of dependent steps.
     */
    private static long reduce(long out) {
        return out ^ (out >>> 1) ^ (out >>> 2) ^ (out >>> 7);
    }
}
