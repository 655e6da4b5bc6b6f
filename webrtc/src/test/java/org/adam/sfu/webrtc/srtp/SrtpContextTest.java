package org.adam.sfu.webrtc.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpContextTest {

    private static final Random RANDOM = new Random(3711);

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private record Pair(SrtpSendContext send, SrtpReceiveContext receive) {
    }

    private static Pair pair(SrtpProfile profile) {
        byte[] material = random(profile.exportLength());
        SrtpKeys client = SrtpKeys.fromDtlsExport(profile, material, true);
        SrtpKeys server = SrtpKeys.fromDtlsExport(profile, material, false);
        return new Pair(new SrtpSendContext(profile, client.localMasterKey(), client.localMasterSalt()),
                new SrtpReceiveContext(profile, server.remoteMasterKey(), server.remoteMasterSalt()));
    }

    /** An RTP packet with two CSRCs and a one-byte header extension, in a direct pooled buffer. */
    private static ByteBuf rtp(int ssrc, int seq, byte[] payload) {
        ByteBuf packet = PooledByteBufAllocator.DEFAULT.directBuffer(256);
        packet.writeByte(0x80 | 0x10 | 2).writeByte(96).writeShort(seq).writeInt(seq * 3000).writeInt(ssrc);
        packet.writeInt(0x11111111).writeInt(0x22222222);
        packet.writeShort(0xBEDE).writeShort(1).writeByte(0x10).writeByte(0x7F).writeShort(0);
        packet.writeBytes(payload);
        return packet;
    }

    private static byte[] readable(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpRoundTripsWithCsrcsAndExtension(SrtpProfile profile) {
        Pair pair = pair(profile);
        byte[] payload = random(900);
        ByteBuf packet = rtp(0xCAFEBABE, 1000, payload);
        byte[] plain = readable(packet);
        int protectedLength = pair.send().protectRtp(packet);
        assertThat(protectedLength).isEqualTo(plain.length + profile.tagLength());
        assertThat(readable(packet)).isNotEqualTo(plain);
        assertThat(pair.receive().unprotectRtp(packet)).isEqualTo(plain.length);
        assertThat(readable(packet)).isEqualTo(plain);
        packet.release();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsReplayedPacket(SrtpProfile profile) {
        Pair pair = pair(profile);
        ByteBuf packet = rtp(7, 5, random(100));
        pair.send().protectRtp(packet);
        ByteBuf copy = packet.copy();
        assertThat(pair.receive().unprotectRtp(packet)).isPositive();
        assertThat(pair.receive().unprotectRtp(copy)).isEqualTo(SrtpError.REPLAYED);
        packet.release();
        copy.release();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsTamperedAndForeignPackets(SrtpProfile profile) {
        Pair pair = pair(profile);
        ByteBuf packet = rtp(7, 5, random(100));
        pair.send().protectRtp(packet);
        packet.setByte(packet.writerIndex() - 20, packet.getByte(packet.writerIndex() - 20) ^ 0x40);
        assertThat(pair.receive().unprotectRtp(packet)).isEqualTo(SrtpError.AUTH_FAILED);
        packet.release();

        Pair other = pair(profile);
        ByteBuf foreign = rtp(7, 6, random(100));
        other.send().protectRtp(foreign);
        assertThat(pair.receive().unprotectRtp(foreign)).isEqualTo(SrtpError.AUTH_FAILED);
        foreign.release();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void followsTheRolloverCounterAcrossTheWrapAndReordering(SrtpProfile profile) {
        Pair pair = pair(profile);
        int[] order = {65533, 65534, 65535, 1, 0, 2, 3};
        for (int seq : order) {
            byte[] payload = random(50);
            ByteBuf packet = rtp(99, seq, payload);
            byte[] plain = readable(packet);
            pair.send().protectRtp(packet);
            assertThat(pair.receive().unprotectRtp(packet)).as("seq %d", seq).isEqualTo(plain.length);
            assertThat(readable(packet)).isEqualTo(plain);
            packet.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsPacketsOlderThanTheReplayWindow(SrtpProfile profile) {
        Pair pair = pair(profile);
        ByteBuf old = rtp(5, 10, random(20));
        pair.send().protectRtp(old);
        for (int seq = 11; seq < 11 + ReplayWindow.SIZE + 5; seq++) {
            ByteBuf packet = rtp(5, seq, random(20));
            pair.send().protectRtp(packet);
            assertThat(pair.receive().unprotectRtp(packet)).isPositive();
            packet.release();
        }
        assertThat(pair.receive().unprotectRtp(old)).isEqualTo(SrtpError.REPLAYED);
        old.release();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpRoundTripsAndRejectsReplay(SrtpProfile profile) {
        Pair pair = pair(profile);
        ByteBuf rtcp = PooledByteBufAllocator.DEFAULT.directBuffer(128);
        rtcp.writeByte(0x81).writeByte(201).writeShort(7).writeInt(0x01020304).writeBytes(random(24));
        byte[] plain = readable(rtcp);
        assertThat(pair.send().protectRtcp(rtcp)).isEqualTo(plain.length + 4 + profile.tagLength());
        ByteBuf copy = rtcp.copy();
        assertThat(pair.receive().unprotectRtcp(rtcp)).isEqualTo(plain.length);
        assertThat(readable(rtcp)).isEqualTo(plain);
        assertThat(pair.receive().unprotectRtcp(copy)).isEqualTo(SrtpError.REPLAYED);
        rtcp.release();
        copy.release();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void randomInputNeverThrowsAndCreatesNoState(SrtpProfile profile) {
        Pair pair = pair(profile);
        Random random = new Random(profile.ordinal());
        for (int i = 0; i < 20_000; i++) {
            ByteBuf garbage = PooledByteBufAllocator.DEFAULT.directBuffer(1600);
            byte[] bytes = new byte[random.nextInt(1500)];
            random.nextBytes(bytes);
            if (bytes.length > 0) {
                bytes[0] = (byte) (0x80 | (bytes[0] & 0x3F));
            }
            garbage.writeBytes(bytes);
            int result = i % 2 == 0 ? pair.receive().unprotectRtp(garbage) : pair.receive().unprotectRtcp(garbage);
            assertThat(result).isNegative();
            garbage.release();
        }
        assertThat(pair.receive().streamCount()).isZero();
    }
}
