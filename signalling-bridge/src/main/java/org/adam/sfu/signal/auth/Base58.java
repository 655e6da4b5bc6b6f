package org.adam.sfu.signal.auth;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Bitcoin-alphabet base58 (the `z` multibase of did:key). Decoding reads text a client sent
 * before any signature is checked, so it refuses input longer than {@link #MAX_DECODED_LENGTH}
 * before it looks at a digit, and then works digit by digit on a byte array sized for that
 * bound: its cost is bounded by the bound, never by what a client sends.
 */
final class Base58 {

    /** Longer than any multibase public key a node reads (an Ed25519 did:key is 47 digits). */
    static final int MAX_DECODED_LENGTH = 128;

    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);
    private static final int[] DIGITS = new int[128];

    static {
        Arrays.fill(DIGITS, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            DIGITS[ALPHABET.charAt(i)] = i;
        }
    }

    private Base58() {
    }

    /** @throws IllegalArgumentException for text over {@link #MAX_DECODED_LENGTH} or outside the alphabet */
    static byte[] decode(String text) {
        if (text.length() > MAX_DECODED_LENGTH) {
            throw new IllegalArgumentException("base58 text longer than " + MAX_DECODED_LENGTH + " characters");
        }
        int leadingZeros = 0;
        while (leadingZeros < text.length() && text.charAt(leadingZeros) == '1') {
            leadingZeros++;
        }
        // log(58) / log(256) < 0.733: the value of n digits fits in this many bytes.
        byte[] value = new byte[text.length() * 733 / 1000 + 1];
        int used = 0; // bytes of value in use, counted from its end
        for (int i = leadingZeros; i < text.length(); i++) {
            char c = text.charAt(i);
            int carry = c < DIGITS.length ? DIGITS[c] : -1;
            if (carry < 0) {
                throw new IllegalArgumentException("not base58: '" + c + "'");
            }
            int j = 0;
            for (int k = value.length - 1; (carry != 0 || j < used) && k >= 0; k--, j++) {
                carry += 58 * (value[k] & 0xFF);
                value[k] = (byte) carry;
                carry >>>= 8;
            }
            used = j;
        }
        byte[] out = new byte[leadingZeros + used];
        System.arraycopy(value, value.length - used, out, leadingZeros, used);
        return out;
    }

    static String encode(byte[] data) {
        BigInteger value = new BigInteger(1, data);
        StringBuilder out = new StringBuilder();
        while (value.signum() > 0) {
            BigInteger[] divRem = value.divideAndRemainder(BASE);
            out.append(ALPHABET.charAt(divRem[1].intValue()));
            value = divRem[0];
        }
        for (int i = 0; i < data.length && data[i] == 0; i++) {
            out.append('1');
        }
        return out.reverse().toString();
    }
}
