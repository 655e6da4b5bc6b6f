package org.adam.sfu.webrtc.srtp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.netty.buffer.ByteBuf;

/**
 * AES_CM_128_HMAC_SHA1_80: AES in counter mode (RFC 3711 4.1.1) and an 80-bit HMAC-SHA1 tag over
 * the packet and the rollover counter (4.2, 4.2.1). SRTCP uses the same, keyed with its own labels
 * and the SRTCP index in place of the packet index (3.4).
 */
final class AesCmHmacTransform extends SrtpTransform {

    private static final int TAG = 10;

    private final SecretKeySpec rtpKey;
    private final byte[] rtpSalt;
    private final SecretKeySpec rtcpKey;
    private final byte[] rtcpSalt;
    private final Mac rtpMac;
    private final Mac rtcpMac;
    private final Cipher ctr;
    private final byte[] iv = new byte[16];
    private final byte[] tag = new byte[20];
    private final byte[] word = new byte[4];

    AesCmHmacTransform(byte[] masterKey, byte[] masterSalt) {
        this(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_SALT, 14),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_AUTH, 20),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, 16),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_SALT, 14),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_AUTH, 20));
    }

    /** From already derived session keys (RFC 3711 B.2 gives its keystream vector that way). */
    AesCmHmacTransform(byte[] rtpKey, byte[] rtpSalt, byte[] rtpAuthKey,
                       byte[] rtcpKey, byte[] rtcpSalt, byte[] rtcpAuthKey) {
        try {
            this.rtpKey = new SecretKeySpec(rtpKey, "AES");
            this.rtpSalt = rtpSalt.clone();
            this.rtcpKey = new SecretKeySpec(rtcpKey, "AES");
            this.rtcpSalt = rtcpSalt.clone();
            rtpMac = Mac.getInstance("HmacSHA1");
            rtpMac.init(new SecretKeySpec(rtpAuthKey, "HmacSHA1"));
            rtcpMac = Mac.getInstance("HmacSHA1");
            rtcpMac.init(new SecretKeySpec(rtcpAuthKey, "HmacSHA1"));
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR and HmacSHA1 are part of every JDK", e);
        }
    }

    @Override
    void protectRtp(ByteBuf packet, int headerLength, int ssrc, int roc, int seq) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        crypt(rtpKey, rtpSalt, ssrc, ((long) roc << 16) | seq, packet, start + headerLength, length - headerLength);
        rtpTag(packet, start, length, roc);
        packet.writeBytes(tag, 0, TAG);
    }

    @Override
    boolean unprotectRtp(ByteBuf packet, int headerLength, int ssrc, int roc, int seq) {
        int start = packet.readerIndex();
        int length = packet.readableBytes() - TAG;
        if (length < headerLength) {
            return false;
        }
        rtpTag(packet, start, length, roc);
        if (!tagMatches(packet, start + length)) {
            return false;
        }
        packet.writerIndex(start + length);
        crypt(rtpKey, rtpSalt, ssrc, ((long) roc << 16) | seq, packet, start + headerLength, length - headerLength);
        return true;
    }

    @Override
    void protectRtcp(ByteBuf packet, int ssrc, int srtcpIndex) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        crypt(rtcpKey, rtcpSalt, ssrc, srtcpIndex, packet, start + 8, length - 8);
        packet.writeInt(0x80000000 | srtcpIndex);
        rtcpTag(packet, start, length + 4);
        packet.writeBytes(tag, 0, TAG);
    }

    @Override
    boolean unprotectRtcp(ByteBuf packet, int ssrc, int srtcpIndex, boolean encrypted) {
        int start = packet.readerIndex();
        int authenticated = packet.readableBytes() - TAG;
        rtcpTag(packet, start, authenticated);
        if (!tagMatches(packet, start + authenticated)) {
            return false;
        }
        int length = authenticated - 4;
        packet.writerIndex(start + length);
        if (encrypted) {
            crypt(rtcpKey, rtcpSalt, ssrc, srtcpIndex, packet, start + 8, length - 8);
        }
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

    /** IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16), RFC 3711 4.1.1. */
    private void crypt(SecretKeySpec key, byte[] salt, int ssrc, long index, ByteBuf packet, int offset, int length) {
        if (length <= 0) {
            return;
        }
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
        try {
            ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            ByteBuffer in = packet.nioBuffer(offset, length);
            ByteBuffer out = in.duplicate();
            ctr.doFinal(in, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
    }

    private void rtpTag(ByteBuf packet, int start, int length, int roc) {
        rtpMac.update(packet.nioBuffer(start, length));
        word[0] = (byte) (roc >>> 24);
        word[1] = (byte) (roc >>> 16);
        word[2] = (byte) (roc >>> 8);
        word[3] = (byte) roc;
        rtpMac.update(word);
        finish(rtpMac);
    }

    private void rtcpTag(ByteBuf packet, int start, int length) {
        rtcpMac.update(packet.nioBuffer(start, length));
        finish(rtcpMac);
    }

    private void finish(Mac mac) {
        try {
            mac.doFinal(tag, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC output buffer too small", e);
        }
    }

    private boolean tagMatches(ByteBuf packet, int offset) {
        int diff = 0;
        for (int i = 0; i < TAG; i++) {
            diff |= tag[i] ^ packet.getByte(offset + i);
        }
        return diff == 0;
    }
}
