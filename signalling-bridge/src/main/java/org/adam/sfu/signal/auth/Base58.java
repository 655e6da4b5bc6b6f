package org.adam.sfu.signal.auth;

import java.math.BigInteger;

/** Bitcoin-alphabet base58 (the `z` multibase of did:key). Inputs are short, so BigInteger is fine. */
final class Base58 {

    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);

    private Base58() {
    }

    static byte[] decode(String text) {
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < text.length(); i++) {
            int digit = ALPHABET.indexOf(text.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException("not base58: '" + text.charAt(i) + "'");
            }
            value = value.multiply(BASE).add(BigInteger.valueOf(digit));
        }
        byte[] magnitude = value.toByteArray();
        int strip = magnitude.length > 1 && magnitude[0] == 0 ? 1 : 0;
        int leadingZeros = 0;
        while (leadingZeros < text.length() && text.charAt(leadingZeros) == '1') {
            leadingZeros++;
        }
        int valueLength = value.signum() == 0 ? 0 : magnitude.length - strip;
        byte[] out = new byte[leadingZeros + valueLength];
        System.arraycopy(magnitude, strip, out, leadingZeros, valueLength);
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
