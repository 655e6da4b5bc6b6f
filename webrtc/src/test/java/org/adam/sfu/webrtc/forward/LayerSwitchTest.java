package org.adam.sfu.webrtc.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.adam.sfu.webrtc.rtp.RtpPacket;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.junit.jupiter.api.Test;

/** A DownTrack's choice of packets across simulcast layers, without sockets or crypto. */
class LayerSwitchTest {

    private final List<TrackForwarder> layers = List.of(
            // Without a publisher transport, keyframe requests are only counted.
            new TrackForwarder("t", true, VideoCodec.VP8, 90000, null, 100),
            new TrackForwarder("t", true, VideoCodec.VP8, 90000, null, 200));
    private final List<Integer> changes = new ArrayList<>();
    private final DownTrack downTrack = new DownTrack(layers, 0, null, 555, -1, (d, layer) -> changes.add(layer));

    private static ByteBuf vp8(int ssrc, int seq, long timestamp, boolean keyframe) {
        ByteBuf p = Unpooled.buffer();
        p.writeByte(0x80).writeByte(96).writeShort(seq).writeInt((int) timestamp).writeInt(ssrc);
        p.writeByte(0x10).writeByte(keyframe ? 0x00 : 0x01);
        return p;
    }

    private boolean admits(int layer, int seq, long timestamp, boolean keyframe) {
        ByteBuf packet = vp8(layer == 0 ? 100 : 200, seq, timestamp, keyframe);
        try {
            return admits(layers.get(layer), packet, seq);
        } finally {
            packet.release();
        }
    }

    private boolean admits(TrackForwarder layer, ByteBuf packet, int seq) {
        return downTrack.admits(layer, packet, seq, VideoCodec.VP8.isKeyframeStart(packet), 0);
    }

    @Test
    void forwardsOnlyTheCurrentLayerAndItsRetransmissionsWhenAsked() {
        assertThat(admits(0, 9, 1000, false)).as("a receiver starts on a keyframe").isFalse();
        assertThat(admits(0, 10, 1000, true)).isTrue();
        assertThat(admits(1, 500, 9000, true)).as("another layer").isFalse();
        assertThat(admits(0, 11, 4000, false)).isTrue();
        assertThat(admits(0, 10, 1000, false)).as("old packet nobody asked for").isFalse();
        downTrack.rememberNack(10);
        assertThat(admits(0, 10, 1000, false)).as("retransmission a NACK asked for").isTrue();
        assertThat(admits(0, 10, 1000, false)).as("only once").isFalse();
    }

    @Test
    void switchesOnTheTargetLayersKeyframeAndContinuesTheSequence() {
        ByteBuf first = vp8(100, 10, 1000, true);
        assertThat(admits(layers.get(0), first, 10)).isTrue();
        downTrack.sendForTest(first).release();
        downTrack.setMaxLayer(1, 0);
        assertThat(admits(1, 500, 90000, false)).as("wait for a keyframe").isFalse();
        assertThat(admits(0, 11, 4000, false)).as("keep the old layer meanwhile").isTrue();
        ByteBuf kept = vp8(100, 11, 4000, false);
        downTrack.sendForTest(kept).release();

        ByteBuf keyframe = vp8(200, 501, 93000, true);
        assertThat(admits(layers.get(1), keyframe, 501)).isTrue();
        assertThat(changes).containsExactly(1);
        ByteBuf sent = downTrack.sendForTest(keyframe);
        assertThat(RtpPacket.sequenceNumber(sent)).as("continues after 11").isEqualTo(12);
        assertThat(RtpPacket.timestamp(sent)).as("about a frame after the last").isEqualTo(4000 + 3000);
        assertThat(RtpPacket.ssrc(sent)).isEqualTo(555);
        assertThat(sent.readableBytes()).as("payload copied").isEqualTo(keyframe.readableBytes());
        sent.release();
        assertThat(admits(0, 12, 7000, false)).as("the old layer is dropped").isFalse();
        assertThat(downTrack.originalSequence(12)).isEqualTo(501);
        keyframe.release();
        first.release();
        kept.release();
    }

    @Test
    void theFirstPacketForwardedOfANewLayerIsItsKeyframeNeverADelta() {
        assertThat(admits(0, 10, 1000, true)).isTrue();
        downTrack.setMaxLayer(1, 0);
        for (int seq = 500; seq < 505; seq++) {
            assertThat(admits(1, seq, 90000 + seq, false)).as("a delta of layer 1 before its keyframe").isFalse();
            assertThat(admits(0, seq - 489, 1000 + seq, false)).as("layer 0 goes on meanwhile").isTrue();
        }
        assertThat(changes).as("no switch on a delta").isEmpty();
        assertThat(downTrack.source()).isSameAs(layers.get(0));
        assertThat(admits(1, 505, 96000, true)).as("the keyframe").isTrue();
        assertThat(changes).containsExactly(1);
        assertThat(admits(1, 506, 96000, false)).as("then its deltas").isTrue();
    }

    @Test
    void goingDownAlsoWaitsForTheLowerLayersKeyframe() {
        DownTrack high = new DownTrack(layers, 1, null, 556, -1, (d, layer) -> changes.add(layer));
        ByteBuf start = vp8(200, 50, 1000, true);
        assertThat(high.admits(layers.get(1), start, 50, true, 0)).isTrue();
        start.release();
        high.setMaxLayer(0, 0);
        ByteBuf delta = vp8(100, 20, 2000, false);
        assertThat(high.admits(layers.get(0), delta, 20, false, 0)).isFalse();
        delta.release();
        ByteBuf keyframe = vp8(100, 21, 5000, true);
        assertThat(high.admits(layers.get(0), keyframe, 21, true, 0)).isTrue();
        keyframe.release();
        assertThat(changes).containsExactly(0);
    }
}
