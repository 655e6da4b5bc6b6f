package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Streams without a=ssrc are learnt from their first packets: by MID (and RID), or by payload type. */
class UnsignalledStreamsTest {

    private static final int MID = 4;
    private static final int RID = 10;
    private final UnsignalledStreams streams = new UnsignalledStreams();
    private final java.util.List<ByteBuf> packets = new java.util.ArrayList<>();

    @AfterEach
    void release() {
        packets.forEach(ByteBuf::release);
    }

    /** An RTP packet with a one-byte-header extension block holding the given MID and RID (null: absent). */
    private ByteBuf packet(int payloadType, int ssrc, String mid, String rid) {
        ByteBuf p = Unpooled.buffer();
        boolean extensions = mid != null || rid != null;
        p.writeByte(extensions ? 0x90 : 0x80).writeByte(payloadType).writeShort(1).writeInt(3000).writeInt(ssrc);
        if (extensions) {
            ByteBuf block = Unpooled.buffer();
            if (mid != null) {
                block.writeByte((MID << 4) | (mid.length() - 1)).writeBytes(mid.getBytes(StandardCharsets.US_ASCII));
            }
            if (rid != null) {
                block.writeByte((RID << 4) | (rid.length() - 1)).writeBytes(rid.getBytes(StandardCharsets.US_ASCII));
            }
            while (block.readableBytes() % 4 != 0) {
                block.writeByte(0);
            }
            p.writeShort(0xBEDE).writeShort(block.readableBytes() / 4).writeBytes(block);
            block.release();
        }
        p.writeZero(20);
        packets.add(p);
        return p;
    }

    private static TrackForwarder forwarder() {
        return new TrackForwarder("t", true, VideoCodec.VP8, 90000, null, 0);
    }

    @Test
    void aStreamIsLearntByItsMidAndThenKeepsItsSsrc() {
        TrackForwarder video = forwarder();
        streams.addByMid(MID, -1, "1", null, video);
        assertThat(streams.bind(packet(96, 0x1111, "0", null), 0x1111)).as("another m-line").isNull();
        assertThat(streams.bind(packet(96, 0x2222, "1", null), 0x2222)).isSameAs(video);
        assertThat(video.sourceSsrc()).isEqualTo(0x2222);
        assertThat(streams.bind(packet(96, 0x3333, "1", null), 0x3333)).as("bound once").isNull();
    }

    @Test
    void simulcastLayersAreLearntByMidAndRid() {
        TrackForwarder low = forwarder();
        TrackForwarder high = forwarder();
        streams.addByMid(MID, RID, "0", "q", low);
        streams.addByMid(MID, RID, "0", "f", high);
        assertThat(streams.bind(packet(96, 7, "0", "f"), 7)).isSameAs(high);
        assertThat(streams.bind(packet(96, 8, "0", null), 8)).as("no rid: not a layer").isNull();
        assertThat(streams.bind(packet(96, 9, "0", "q"), 9)).isSameAs(low);
    }

    @Test
    void withoutMidAnUnambiguousPayloadTypeNamesTheStream() {
        TrackForwarder audio = forwarder();
        TrackForwarder video = forwarder();
        streams.addByPayloadType(111, audio);
        streams.addByPayloadType(96, video);
        assertThat(streams.bind(packet(96, 5, null, null), 5)).isSameAs(video);
        assertThat(streams.bind(packet(111, 6, null, null), 6)).isSameAs(audio);
        assertThat(streams.bind(packet(100, 7, null, null), 7)).as("a payload type nobody uses").isNull();
    }

    @Test
    void aRemovedRouteLearnsNothing() {
        TrackForwarder video = forwarder();
        streams.addByMid(MID, -1, "1", null, video);
        assertThat(streams.removeByMid("1", null)).isSameAs(video);
        assertThat(streams.isEmpty()).isTrue();
        assertThat(streams.bind(packet(96, 2, "1", null), 2)).isNull();
    }
}
