package org.adam.sfu.webrtc.srtp;

import io.netty.buffer.ByteBuf;

/**
 * The cryptographic transform of one direction of one SRTP session, for both RTP and RTCP. Index
 * bookkeeping (rollover counter, SRTCP index, replay) lives in the contexts; a transform only
 * turns plain packets into protected ones and back, in place.
 *
 * <p>Not thread-safe: it reuses its cipher objects and scratch arrays.
 */
abstract class SrtpTransform {

    /** Encrypts and appends the tag; the buffer must have room for {@link #rtpOverhead()} more bytes. */
    abstract void protectRtp(ByteBuf packet, int headerLength, int ssrc, int roc, int seq);

    /** Verifies and decrypts in place, dropping the tag; false if authentication fails. */
    abstract boolean unprotectRtp(ByteBuf packet, int headerLength, int ssrc, int roc, int seq);

    /** Encrypts and appends the SRTCP trailer (E flag + index) and tag. */
    abstract void protectRtcp(ByteBuf packet, int ssrc, int srtcpIndex);

    /**
     * Verifies and decrypts; {@code packet} still holds trailer and tag, which are dropped.
     * @param encrypted the E flag of the trailer
     */
    abstract boolean unprotectRtcp(ByteBuf packet, int ssrc, int srtcpIndex, boolean encrypted);

    abstract int rtpOverhead();

    /** Bytes after the RTCP payload: the 4-byte E+index word and the tag. */
    abstract int rtcpOverhead();

    /** Where the 4-byte E+index word sits, counted back from the packet's end. */
    abstract int rtcpIndexOffsetFromEnd();

    static SrtpTransform create(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, SrtpCrypto crypto) {
        return switch (profile) {
            case AES_CM_128_HMAC_SHA1_80 -> new AesCmHmacTransform(masterKey, masterSalt, crypto);
            case AEAD_AES_128_GCM -> new AesGcmTransform(masterKey, masterSalt, crypto);
        };
    }
}
