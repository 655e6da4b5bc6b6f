package org.adam.sfu.webrtc.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Coverage-guided fuzzing of what the forwarder reads from every decrypted RTP packet: the header
 * (RFC 3550 5.1), the RFC 8285 header extension elements, and each codec's keyframe reader. The
 * packet sits behind a few bytes of other data in a buffer exactly as long as both, so a read
 * before the reader index or past the writer index shows up. The contract: nothing throws; an
 * inconsistent header gives -1; whatever is reported lies inside the packet; rewriting an
 * element's id to itself changes nothing; the walks end.
 */
class RtpPacketFuzzTest {

    private final RtpHeaderExtensions.Cursor cursor = new RtpHeaderExtensions.Cursor();

    @FuzzTest
    void readsEveryPacketWithinItsBounds(FuzzedDataProvider data) {
        int prefix = data.consumeInt(0, 16);
        byte[] before = data.consumeBytes(prefix);
        byte[] packetBytes = data.consumeRemainingAsBytes();
        byte[] buffer = new byte[before.length + packetBytes.length];
        System.arraycopy(before, 0, buffer, 0, before.length);
        System.arraycopy(packetBytes, 0, buffer, before.length, packetBytes.length);
        ByteBuf packet = Unpooled.wrappedBuffer(buffer).readerIndex(before.length);
        int start = packet.readerIndex();
        int end = packet.writerIndex();

        int header = RtpPacket.headerLength(packet);
        if (header < 0) {
            assertThat(RtpPacket.payloadStart(packet)).isEqualTo(-1);
            assertThat(RtpPacket.payloadLength(packet)).isEqualTo(-1);
            assertThat(RtpPacket.isValid(packet)).isFalse();
        } else {
            assertThat(header).isBetween(RtpPacket.FIXED_HEADER, end - start);
            RtpPacket.version(packet);
            RtpPacket.marker(packet);
            RtpPacket.payloadType(packet);
            RtpPacket.sequenceNumber(packet);
            RtpPacket.timestamp(packet);
            RtpPacket.ssrc(packet);
            RtpPacket.isValid(packet);
            RtpPacket.payloadLength(packet);
            int payload = RtpPacket.payloadStart(packet);
            if (payload >= 0) {
                assertThat(payload).isEqualTo(start + header);
                assertThat(RtpPacket.payloadEnd(packet)).isGreaterThan(payload).isLessThanOrEqualTo(end);
            }
        }
        for (VideoCodec codec : VideoCodec.values()) {
            codec.isKeyframeStart(packet);
        }
        Vp8Payload.isKeyframeStart(packet);
        Vp9Payload.isKeyframeStart(packet);
        H264Payload.isKeyframeStart(packet);
        Av1Payload.isKeyframeStart(packet);

        byte[] original = ByteBufUtil.getBytes(packet);
        if (cursor.reset(packet)) {
            int previous = -1;
            while (cursor.next()) {
                assertThat(cursor.dataOffset()).isGreaterThan(previous).isGreaterThanOrEqualTo(start
                        + RtpPacket.FIXED_HEADER);
                assertThat(cursor.dataOffset() + cursor.dataLength()).isLessThanOrEqualTo(start + header);
                previous = cursor.dataOffset();
                cursor.rewriteId(cursor.id());
                RtpHeaderExtensions.find(packet, cursor.id(), new RtpHeaderExtensions.Cursor());
            }
        }
        assertThat(ByteBufUtil.getBytes(packet)).as("rewriting ids to themselves").isEqualTo(original);
        assertThat(packet.readerIndex()).isEqualTo(start);
        assertThat(packet.writerIndex()).isEqualTo(end);
    }
}
