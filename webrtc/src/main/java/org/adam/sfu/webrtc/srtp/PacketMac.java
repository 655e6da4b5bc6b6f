package org.adam.sfu.webrtc.srtp;

/** HMAC-SHA1 keyed for one session: what AES_CM_128_HMAC_SHA1_80 authenticates with. */
interface PacketMac {

    int LENGTH = 20;

    /** Writes the {@link #LENGTH}-byte MAC of {@code data[offset, offset + length)} to {@code out[0, 20)}. */
    void compute(byte[] data, int offset, int length, byte[] out);
}
