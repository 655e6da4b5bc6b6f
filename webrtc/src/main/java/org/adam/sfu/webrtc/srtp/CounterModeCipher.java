package org.adam.sfu.webrtc.srtp;

/** AES-128 in counter mode keyed for one session: what AES_CM_128_HMAC_SHA1_80 encrypts with. */
interface CounterModeCipher {

    /** XORs {@code data[offset, offset + length)} in place with the keystream from counter block {@code iv}. */
    void crypt(byte[] iv, byte[] data, int offset, int length);
}
