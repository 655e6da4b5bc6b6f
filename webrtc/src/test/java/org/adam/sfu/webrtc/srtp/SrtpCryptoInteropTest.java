package org.adam.sfu.webrtc.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each implementation seals byte for byte as ours does and opens what ours sealed (and the
 * reverse), RTP and SRTCP, over many packets and sizes.
 */
class SrtpCryptoInteropTest {

    private static final Random RANDOM = new Random(3711_7714);

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static byte[] readable(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }

    @ParameterizedTest
    @CsvSource({"AES_CM_128_HMAC_SHA1_80, JCE", "AES_CM_128_HMAC_SHA1_80, OPENSSL",
            "AEAD_AES_128_GCM, JCE", "AEAD_AES_128_GCM, OPENSSL"})
    void protectIdenticallyToOursAndOpenEachOther(SrtpProfile profile, SrtpCrypto other) {
        OpensslLibrary.assumeLoadedFor(other);
        byte[] key = random(profile.keyLength());
        byte[] salt = random(profile.saltLength());
        SrtpSendContext javaSend = new SrtpSendContext(profile, key, salt, SrtpCrypto.JAVA);
        SrtpSendContext jceSend = new SrtpSendContext(profile, key, salt, other);
        SrtpReceiveContext javaReceive = new SrtpReceiveContext(profile, key, salt, SrtpCrypto.JAVA);
        SrtpReceiveContext jceReceive = new SrtpReceiveContext(profile, key, salt, other);
        for (int i = 0; i < 200; i++) {
            int seq = 65_500 + i; // crosses a rollover
            byte[] plain = rtp(0x1234 + (i & 1), seq & 0xFFFF, random(RANDOM.nextInt(1400)));
            ByteBuf a = buffer(plain);
            ByteBuf b = buffer(plain);
            javaSend.protectRtp(a);
            jceSend.protectRtp(b);
            assertThat(readable(a)).isEqualTo(readable(b));
            assertThat(jceReceive.unprotectRtp(a)).isEqualTo(plain.length);
            assertThat(javaReceive.unprotectRtp(b)).isEqualTo(plain.length);
            assertThat(readable(a)).isEqualTo(plain);
            assertThat(readable(b)).isEqualTo(plain);
            a.release();
            b.release();

            byte[] rtcp = rtcp(0x1234, random(RANDOM.nextInt(200)));
            ByteBuf c = buffer(rtcp);
            ByteBuf d = buffer(rtcp);
            javaSend.protectRtcp(c);
            jceSend.protectRtcp(d);
            assertThat(readable(c)).isEqualTo(readable(d));
            assertThat(jceReceive.unprotectRtcp(c)).isEqualTo(rtcp.length);
            assertThat(javaReceive.unprotectRtcp(d)).isEqualTo(rtcp.length);
            assertThat(readable(c)).isEqualTo(rtcp);
            assertThat(readable(d)).isEqualTo(rtcp);
            c.release();
            d.release();
        }
    }

    private static byte[] rtp(int ssrc, int seq, byte[] payload) {
        ByteBuf packet = PooledByteBufAllocator.DEFAULT.heapBuffer();
        packet.writeByte(0x80).writeByte(96).writeShort(seq).writeInt(seq * 3000).writeInt(ssrc).writeBytes(payload);
        byte[] bytes = readable(packet);
        packet.release();
        return bytes;
    }

    /** A receiver report header followed by {@code body} padded to whole words. */
    private static byte[] rtcp(int ssrc, byte[] body) {
        int words = (body.length + 3) / 4;
        ByteBuf packet = PooledByteBufAllocator.DEFAULT.heapBuffer();
        packet.writeByte(0x80).writeByte(201).writeShort(1 + words).writeInt(ssrc).writeBytes(body).writeZero(words * 4 - body.length);
        byte[] bytes = readable(packet);
        packet.release();
        return bytes;
    }

    private static ByteBuf buffer(byte[] bytes) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length + 64);
        buf.writeBytes(bytes);
        return buf;
    }
}
