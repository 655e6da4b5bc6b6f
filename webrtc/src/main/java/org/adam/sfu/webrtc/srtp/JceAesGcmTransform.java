package org.adam.sfu.webrtc.srtp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.netty.buffer.ByteBuf;

/**
 * AEAD_AES_128_GCM (RFC 7714): the RTP header (or the first 8 RTCP bytes plus the E+index word)
 * is the associated data, the payload is encrypted, and a 16-byte tag follows it. The 12-byte IV
 * is the session salt XOR the SSRC and packet index (8.1) or SRTCP index (9.1).
 *
 * <p>The JDK's AES/GCM, initialised per packet ({@link SrtpCrypto#JCE}): its intrinsics make it
 * faster than {@link AesGcmTransform}, but every {@code init} allocates (decision 0014).
 */
final class JceAesGcmTransform extends SrtpTransform {

    private static final int TAG = 16;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec rtpKey;
    private final byte[] rtpSalt;
    private final SecretKeySpec rtcpKey;
    private final byte[] rtcpSalt;
    private final Cipher gcm;
    private final byte[] iv = new byte[12];
    private final byte[] trailer = new byte[4];
    private byte[] inScratch = new byte[2048];
    private byte[] outScratch = new byte[2048];

    JceAesGcmTransform(byte[] masterKey, byte[] masterSalt) {
        rtpKey = new SecretKeySpec(SrtpKeyDerivation.derive(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16), "AES");
        rtpSalt = SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_SALT, 12);
        rtcpKey = new SecretKeySpec(SrtpKeyDerivation.derive(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, 16), "AES");
        rtcpSalt = SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_SALT, 12);
        try {
            gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    @Override
    void protectRtp(ByteBuf packet, int headerLength, int ssrc, int roc, int seq) {
        int start = packet.readerIndex();
        int payload = packet.readableBytes() - headerLength;
        rtpIv(ssrc, roc, seq);
        packet.ensureWritable(TAG);
        // Heap arrays in and out: over direct buffers the JDK's GCM copies through fresh arrays.
        byte[] in = input(packet, start, headerLength + payload);
        byte[] out = output(payload + TAG);
        try {
            gcm.init(Cipher.ENCRYPT_MODE, rtpKey, new GCMParameterSpec(TAG_BITS, iv));
            gcm.updateAAD(in, 0, headerLength);
            gcm.doFinal(in, headerLength, payload, out, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        packet.setBytes(start + headerLength, out, 0, payload + TAG);
        packet.writerIndex(packet.writerIndex() + TAG);
    }

    @Override
    boolean unprotectRtp(ByteBuf packet, int headerLength, int ssrc, int roc, int seq) {
        int start = packet.readerIndex();
        int sealed = packet.readableBytes() - headerLength;
        if (sealed < TAG) {
            return false;
        }
        rtpIv(ssrc, roc, seq);
        byte[] in = input(packet, start, headerLength + sealed);
        byte[] out = output(sealed);
        try {
            gcm.init(Cipher.DECRYPT_MODE, rtpKey, new GCMParameterSpec(TAG_BITS, iv));
            gcm.updateAAD(in, 0, headerLength);
            gcm.doFinal(in, headerLength, sealed, out, 0);
        } catch (GeneralSecurityException e) {
            return false;
        }
        packet.setBytes(start + headerLength, out, 0, sealed - TAG);
        packet.writerIndex(start + headerLength + sealed - TAG);
        return true;
    }

    private byte[] input(ByteBuf packet, int start, int length) {
        if (inScratch.length < length) {
            inScratch = new byte[length];
        }
        packet.getBytes(start, inScratch, 0, length);
        return inScratch;
    }

    private byte[] output(int length) {
        if (outScratch.length < length) {
            outScratch = new byte[length];
        }
        return outScratch;
    }

    @Override
    void protectRtcp(ByteBuf packet, int ssrc, int srtcpIndex) {
        int start = packet.readerIndex();
        int payload = packet.readableBytes() - 8;
        int word = 0x80000000 | srtcpIndex;
        rtcpIv(ssrc, srtcpIndex);
        packet.ensureWritable(TAG + 4);
        try {
            gcm.init(Cipher.ENCRYPT_MODE, rtcpKey, new GCMParameterSpec(TAG_BITS, iv));
            gcm.updateAAD(packet.nioBuffer(start, 8));
            gcm.updateAAD(wordBytes(word));
            ByteBuffer in = packet.nioBuffer(start + 8, payload);
            ByteBuffer out = packet.nioBuffer(start + 8, payload + TAG);
            gcm.doFinal(in, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        packet.writerIndex(packet.writerIndex() + TAG);
        packet.writeInt(word);
    }

    @Override
    boolean unprotectRtcp(ByteBuf packet, int ssrc, int srtcpIndex, boolean encrypted) {
        int start = packet.readerIndex();
        int end = packet.writerIndex() - 4;
        int sealed = end - start - 8;
        if (sealed < TAG) {
            return false;
        }
        int word = packet.getInt(end);
        rtcpIv(ssrc, srtcpIndex);
        try {
            gcm.init(Cipher.DECRYPT_MODE, rtcpKey, new GCMParameterSpec(TAG_BITS, iv));
            if (encrypted) {
                gcm.updateAAD(packet.nioBuffer(start, 8));
                gcm.updateAAD(wordBytes(word));
                ByteBuffer in = packet.nioBuffer(start + 8, sealed);
                ByteBuffer out = packet.nioBuffer(start + 8, sealed);
                gcm.doFinal(in, out);
            } else {
                // RFC 7714 9.2: unencrypted SRTCP authenticates everything as associated data.
                gcm.updateAAD(packet.nioBuffer(start, 8 + sealed - TAG));
                gcm.updateAAD(wordBytes(word));
                gcm.doFinal(packet.nioBuffer(end - TAG, TAG), ByteBuffer.allocate(0));
            }
        } catch (GeneralSecurityException e) {
            return false;
        }
        packet.writerIndex(end - TAG);
        return true;
    }

    @Override
    int rtpOverhead() {
        return TAG;
    }

    @Override
    int rtcpOverhead() {
        return TAG + 4;
    }

    @Override
    int rtcpIndexOffsetFromEnd() {
        return 4;
    }

    /** IV = salt XOR (0^16 || SSRC || ROC || SEQ), RFC 7714 8.1. */
    private void rtpIv(int ssrc, int roc, int seq) {
        System.arraycopy(rtpSalt, 0, iv, 0, 12);
        xorInt(2, ssrc);
        xorInt(6, roc);
        iv[10] ^= (byte) (seq >>> 8);
        iv[11] ^= (byte) seq;
    }

    /** IV = salt XOR (0^16 || SSRC || 0^16 || 0 || SRTCP index), RFC 7714 9.1. */
    private void rtcpIv(int ssrc, int srtcpIndex) {
        System.arraycopy(rtcpSalt, 0, iv, 0, 12);
        xorInt(2, ssrc);
        xorInt(8, srtcpIndex & 0x7FFFFFFF);
    }

    private void xorInt(int offset, int value) {
        iv[offset] ^= (byte) (value >>> 24);
        iv[offset + 1] ^= (byte) (value >>> 16);
        iv[offset + 2] ^= (byte) (value >>> 8);
        iv[offset + 3] ^= (byte) value;
    }

    private byte[] wordBytes(int word) {
        trailer[0] = (byte) (word >>> 24);
        trailer[1] = (byte) (word >>> 16);
        trailer[2] = (byte) (word >>> 8);
        trailer[3] = (byte) word;
        return trailer;
    }
}
