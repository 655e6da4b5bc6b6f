package org.adam.sfu.webrtc.srtp;

import io.netty.buffer.ByteBuf;

/**
 * AEAD_AES_128_GCM (RFC 7714): the RTP header (or the first 8 RTCP bytes plus the E+index word)
 * is the associated data, the payload is encrypted, and a 16-byte tag follows it. The 12-byte IV
 * is the session salt XOR the SSRC and packet index (8.1) or SRTCP index (9.1).
 *
 * <p>Each packet is copied once into a heap scratch array, sealed or opened there and copied
 * back; with OpenSSL's cipher an RTP packet in a direct buffer is sealed and opened in place.
 * The cipher is keyed once per session: OpenSSL's ({@link OpensslGcm}, the default where it
 * loads) and ours ({@link AesGcm}) allocate nothing per packet, the JDK's ({@link JceCiphers#gcm})
 * allocates per packet (decisions 0014, 0016).
 */
final class AesGcmTransform extends SrtpTransform {

    private static final int TAG = GcmCipher.TAG;

    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final GcmCipher rtpGcm;
    private final GcmCipher rtcpGcm;
    /** The RTP cipher when it can work on a direct buffer's memory in place (OpenSSL's), else null. */
    private final OpensslGcm rtpInPlace;
    private final byte[] iv = new byte[12];
    // The packet and its tag, with room for the SRTCP word moved next to the header.
    private byte[] scratch = new byte[2048];

    AesGcmTransform(byte[] masterKey, byte[] masterSalt, SrtpCrypto crypto) {
        this(gcm(crypto, SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16)),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_SALT, 12),
                gcm(crypto, SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, 16)),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_SALT, 12));
    }

    private static GcmCipher gcm(SrtpCrypto crypto, byte[] key) {
        return switch (crypto) {
            case JCE -> JceCiphers.gcm(key);
            case OPENSSL -> new OpensslGcm(key);
            case JAVA -> new AesGcm(key);
        };
    }

    private AesGcmTransform(GcmCipher rtpGcm, byte[] rtpSalt, GcmCipher rtcpGcm, byte[] rtcpSalt) {
        this.rtpGcm = rtpGcm;
        this.rtpInPlace = rtpGcm instanceof OpensslGcm openssl ? openssl : null;
        this.rtpSalt = rtpSalt;
        this.rtcpGcm = rtcpGcm;
        this.rtcpSalt = rtcpSalt;
    }

    /** Builds an AES-GCM transform straight from session key and salt (for RFC 7714's vectors). */
    static AesGcmTransform fromSessionKeys(byte[] key, byte[] salt, SrtpCrypto crypto) {
        GcmCipher gcm = gcm(crypto, key);
        return new AesGcmTransform(gcm, salt.clone(), gcm, salt.clone());
    }

    @Override
    void protectRtp(ByteBuf packet, int headerLength, int ssrc, int roc, int seq) {
        int start = packet.readerIndex();
        int payload = packet.readableBytes() - headerLength;
        packet.ensureWritable(TAG);
        rtpIv(ssrc, roc, seq);
        if (rtpInPlace != null && packet.hasMemoryAddress()) {
            // Header, payload and room for the tag are contiguous in the packet: no copy at all.
            rtpInPlace.sealInPlace(iv, packet.memoryAddress() + start, packet.capacity() - start, headerLength, payload);
            packet.writerIndex(packet.writerIndex() + TAG);
            return;
        }
        byte[] buf = scratch(headerLength + payload + TAG);
        packet.getBytes(start, buf, 0, headerLength + payload);
        rtpGcm.seal(iv, buf, 0, headerLength, headerLength, payload);
        packet.setBytes(start + headerLength, buf, headerLength, payload + TAG);
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
        if (rtpInPlace != null && packet.hasMemoryAddress()) {
            if (!rtpInPlace.openInPlace(iv, packet.memoryAddress() + start, packet.readableBytes(), headerLength,
                    sealed - TAG)) {
                return false;
            }
            packet.writerIndex(start + headerLength + sealed - TAG);
            return true;
        }
        byte[] buf = scratch(headerLength + sealed);
        packet.getBytes(start, buf, 0, headerLength + sealed);
        if (!rtpGcm.open(iv, buf, 0, headerLength, headerLength, sealed - TAG)) {
            return false;
        }
        packet.setBytes(start + headerLength, buf, headerLength, sealed - TAG);
        packet.writerIndex(start + headerLength + sealed - TAG);
        return true;
    }

    @Override
    void protectRtcp(ByteBuf packet, int ssrc, int srtcpIndex) {
        int start = packet.readerIndex();
        int payload = packet.readableBytes() - 8;
        int word = 0x80000000 | srtcpIndex;
        packet.ensureWritable(TAG + 4);
        // Associated data is the first 8 bytes and the word (9.2): [header][word][payload][tag].
        byte[] buf = scratch(12 + payload + TAG);
        packet.getBytes(start, buf, 0, 8);
        AesCmHmacTransform.putInt(buf, 8, word);
        packet.getBytes(start + 8, buf, 12, payload);
        rtcpIv(ssrc, srtcpIndex);
        rtcpGcm.seal(iv, buf, 0, 12, 12, payload);
        packet.setBytes(start + 8, buf, 12, payload + TAG);
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
        byte[] buf = scratch(12 + sealed);
        if (encrypted) {
            packet.getBytes(start, buf, 0, 8);
            AesCmHmacTransform.putInt(buf, 8, word);
            packet.getBytes(start + 8, buf, 12, sealed);
            if (!rtcpGcm.open(iv, buf, 0, 12, 12, sealed - TAG)) {
                return false;
            }
            packet.setBytes(start + 8, buf, 12, sealed - TAG);
        } else {
            // RFC 7714 9.2: unencrypted SRTCP authenticates everything as associated data.
            int plain = 8 + sealed - TAG;
            packet.getBytes(start, buf, 0, plain);
            AesCmHmacTransform.putInt(buf, plain, word);
            packet.getBytes(end - TAG, buf, plain + 4, TAG);
            if (!rtcpGcm.open(iv, buf, 0, plain + 4, plain + 4, 0)) {
                return false;
            }
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

    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[length];
        }
        return scratch;
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
}
