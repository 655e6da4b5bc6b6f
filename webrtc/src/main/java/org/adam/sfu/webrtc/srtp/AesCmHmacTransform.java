package org.adam.sfu.webrtc.srtp;

import io.netty.buffer.ByteBuf;

/**
 * AES_CM_128_HMAC_SHA1_80: AES in counter mode (RFC 3711 4.1.1) and an 80-bit HMAC-SHA1 tag over
 * the packet and the rollover counter (4.2, 4.2.1). SRTCP uses the same, keyed with its own labels
 * and the SRTCP index in place of the packet index (3.4).
 *
 * <p>Each packet is copied once into a heap scratch array, encrypted and authenticated there and
 * copied back. The ciphers are keyed once per session: ours ({@link AesCounterMode},
 * {@link HmacSha1}) allocate nothing per packet, the JDK's ({@link JceCiphers}) do (decision 0014).
 */
final class AesCmHmacTransform extends SrtpTransform {

    private static final int TAG = 10;

    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final CounterModeCipher rtpCipher;
    private final CounterModeCipher rtcpCipher;
    private final PacketMac rtpMac;
    private final PacketMac rtcpMac;
    private final byte[] iv = new byte[16];
    private final byte[] tag = new byte[PacketMac.LENGTH];
    // The packet plus 4 bytes (the ROC or the SRTCP word), grown for the largest packet seen.
    private byte[] scratch = new byte[2048];

    AesCmHmacTransform(byte[] masterKey, byte[] masterSalt, SrtpCrypto crypto) {
        this(crypto, SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_SALT, 14),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_AUTH, 20),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, 16),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_SALT, 14),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_AUTH, 20));
    }

    /** From already derived session keys (RFC 3711 B.2 gives its keystream vector that way). */
    AesCmHmacTransform(SrtpCrypto crypto, byte[] rtpKey, byte[] rtpSalt, byte[] rtpAuthKey,
                       byte[] rtcpKey, byte[] rtcpSalt, byte[] rtcpAuthKey) {
        this.rtpSalt = rtpSalt.clone();
        this.rtcpSalt = rtcpSalt.clone();
        rtpCipher = counterMode(crypto, rtpKey);
        rtcpCipher = counterMode(crypto, rtcpKey);
        rtpMac = mac(crypto, rtpAuthKey);
        rtcpMac = mac(crypto, rtcpAuthKey);
    }

    private static CounterModeCipher counterMode(SrtpCrypto crypto, byte[] key) {
        return crypto == SrtpCrypto.JCE ? JceCiphers.counterMode(key) : new AesCounterMode(key);
    }

    private static PacketMac mac(SrtpCrypto crypto, byte[] key) {
        return crypto == SrtpCrypto.JCE ? JceCiphers.hmacSha1(key) : new HmacSha1(key);
    }

    @Override
    void protectRtp(ByteBuf packet, int headerLength, int ssrc, int roc, int seq) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        byte[] buf = copyIn(packet, start, length);
        counter(rtpSalt, ssrc, ((long) roc << 16) | seq);
        rtpCipher.crypt(iv, buf, headerLength, length - headerLength);
        putInt(buf, length, roc);
        authenticate(rtpMac, buf, length + 4);
        packet.setBytes(start + headerLength, buf, headerLength, length - headerLength);
        packet.writeBytes(tag, 0, TAG);
    }

    @Override
    boolean unprotectRtp(ByteBuf packet, int headerLength, int ssrc, int roc, int seq) {
        int start = packet.readerIndex();
        int length = packet.readableBytes() - TAG;
        if (length < headerLength) {
            return false;
        }
        byte[] buf = copyIn(packet, start, length);
        putInt(buf, length, roc);
        authenticate(rtpMac, buf, length + 4);
        if (!tagMatches(packet, start + length)) {
            return false;
        }
        counter(rtpSalt, ssrc, ((long) roc << 16) | seq);
        rtpCipher.crypt(iv, buf, headerLength, length - headerLength);
        packet.setBytes(start + headerLength, buf, headerLength, length - headerLength);
        packet.writerIndex(start + length);
        return true;
    }

    @Override
    void protectRtcp(ByteBuf packet, int ssrc, int srtcpIndex) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        int word = 0x80000000 | srtcpIndex;
        byte[] buf = copyIn(packet, start, length);
        counter(rtcpSalt, ssrc, srtcpIndex);
        rtcpCipher.crypt(iv, buf, 8, length - 8);
        putInt(buf, length, word);
        authenticate(rtcpMac, buf, length + 4);
        packet.setBytes(start + 8, buf, 8, length - 8);
        packet.writeInt(word);
        packet.writeBytes(tag, 0, TAG);
    }

    @Override
    boolean unprotectRtcp(ByteBuf packet, int ssrc, int srtcpIndex, boolean encrypted) {
        int start = packet.readerIndex();
        int authenticated = packet.readableBytes() - TAG;
        byte[] buf = copyIn(packet, start, authenticated);
        authenticate(rtcpMac, buf, authenticated);
        if (!tagMatches(packet, start + authenticated)) {
            return false;
        }
        int length = authenticated - 4;
        if (encrypted) {
            counter(rtcpSalt, ssrc, srtcpIndex);
            rtcpCipher.crypt(iv, buf, 8, length - 8);
            packet.setBytes(start + 8, buf, 8, length - 8);
        }
        packet.writerIndex(start + length);
        return true;
    }

    @Override
    int rtpOverhead() {
        return TAG;
    }

    @Override
    int rtcpOverhead() {
        return 4 + TAG;
    }

    @Override
    int rtcpIndexOffsetFromEnd() {
        return 4 + TAG;
    }

    /** The counter block (RFC 3711 4.1.1): (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16). */
    private void counter(byte[] salt, int ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
    }

    /** The packet's bytes in the scratch array, with 4 bytes to spare after them. */
    private byte[] copyIn(ByteBuf packet, int start, int length) {
        if (scratch.length < length + 4) {
            scratch = new byte[length + 4];
        }
        packet.getBytes(start, scratch, 0, length);
        return scratch;
    }

    private void authenticate(PacketMac mac, byte[] buf, int length) {
        mac.compute(buf, 0, length, tag);
    }

    private boolean tagMatches(ByteBuf packet, int offset) {
        int diff = 0;
        for (int i = 0; i < TAG; i++) {
            diff |= tag[i] ^ packet.getByte(offset + i);
        }
        return diff == 0;
    }

    static void putInt(byte[] buf, int offset, int value) {
        buf[offset] = (byte) (value >>> 24);
        buf[offset + 1] = (byte) (value >>> 16);
        buf[offset + 2] = (byte) (value >>> 8);
        buf[offset + 3] = (byte) value;
    }
}
