package org.adam.sfu.webrtc.srtp;

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
 *
 * <p>The JDK's AES/CTR and HmacSHA1 ({@link SrtpCrypto#JCE}): a {@code Cipher.init} and a MAC
 * array per packet. {@link AesCmHmacTransform} does the same without allocating (decision 0014).
 */
final class JceAesCmHmacTransform extends SrtpTransform {

    private static final int TAG = 10;
    private static final int SCRATCH = 2048;

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
    // Per-packet scratch, grown for the largest packet seen: nothing is allocated per packet.
    private byte[] plain = new byte[SCRATCH];
    private byte[] sealed = new byte[SCRATCH];
    private byte[] authenticated = new byte[SCRATCH];

    JceAesCmHmacTransform(byte[] masterKey, byte[] masterSalt) {
        this(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_SALT, 14),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_AUTH, 20),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, 16),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_SALT, 14),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_AUTH, 20));
    }

    /** From already derived session keys (RFC 3711 B.2 gives its keystream vector that way). */
    JceAesCmHmacTransform(byte[] rtpKey, byte[] rtpSalt, byte[] rtpAuthKey,
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
            throw new IllegalStateException("AES and HmacSHA1 are part of every JDK", e);
        }
    }

    @Override
    void protectRtp(ByteBuf packet, int headerLength, int ssrc, int roc, int seq) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        crypt(ctr, rtpKey, rtpSalt, ssrc, ((long) roc << 16) | seq, packet, start + headerLength, length - headerLength);
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
        crypt(ctr, rtpKey, rtpSalt, ssrc, ((long) roc << 16) | seq, packet, start + headerLength, length - headerLength);
        return true;
    }

    @Override
    void protectRtcp(ByteBuf packet, int ssrc, int srtcpIndex) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        crypt(ctr, rtcpKey, rtcpSalt, ssrc, srtcpIndex, packet, start + 8, length - 8);
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
            crypt(ctr, rtcpKey, rtcpSalt, ssrc, srtcpIndex, packet, start + 8, length - 8);
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

    /**
     * Counter-mode encryption (RFC 3711 4.1.1): IV = (salt * 2^16) XOR (SSRC * 2^64) XOR
     * (index * 2^16). The payload goes through heap scratch arrays: the JDK's AES-CTR (with its
     * intrinsic) would otherwise copy a direct buffer through fresh arrays on every packet.
     */
    private void crypt(Cipher cipher, SecretKeySpec key, byte[] salt, int ssrc, long index, ByteBuf packet,
                       int offset, int length) {
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
        ensureScratch(length);
        packet.getBytes(offset, plain, 0, length);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            cipher.doFinal(plain, 0, length, sealed, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
        packet.setBytes(offset, sealed, 0, length);
    }

    private void ensureScratch(int bytes) {
        if (plain.length < bytes) {
            plain = new byte[bytes];
            sealed = new byte[bytes];
        }
    }

    private void rtpTag(ByteBuf packet, int start, int length, int roc) {
        rtpMac.update(copyOf(packet, start, length), 0, length);
        word[0] = (byte) (roc >>> 24);
        word[1] = (byte) (roc >>> 16);
        word[2] = (byte) (roc >>> 8);
        word[3] = (byte) roc;
        rtpMac.update(word);
        finish(rtpMac);
    }

    private void rtcpTag(ByteBuf packet, int start, int length) {
        rtcpMac.update(copyOf(packet, start, length), 0, length);
        finish(rtcpMac);
    }

    /**
     * The bytes to authenticate, in a heap array: HMAC over a direct buffer would copy it into a
     * fresh array on every packet.
     */
    private byte[] copyOf(ByteBuf packet, int start, int length) {
        if (authenticated.length < length) {
            authenticated = new byte[length];
        }
        packet.getBytes(start, authenticated, 0, length);
        return authenticated;
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
