package org.adam.sfu.webrtc.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.adam.sfu.webrtc.rtp.RtpPacket;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A video receiver starts on a keyframe and keeps asking for one, in simulated time: every call
 * is given its instant, nothing reads a clock. Without a publisher transport the stream only
 * counts the requests it would send.
 */
class KeyframeDisciplineTest {

    private static final long MS = 1_000_000L;

    private final TrackForwarder stream = new TrackForwarder("t", true, VideoCodec.VP8, 90000, null, 100);
    private final List<ByteBuf> sent = new java.util.ArrayList<>();

    @AfterEach
    void release() {
        sent.forEach(ByteBuf::release);
    }

    private static ByteBuf vp8(int seq, long timestamp, boolean keyframe) {
        ByteBuf p = Unpooled.buffer();
        p.writeByte(0x80).writeByte(96).writeShort(seq).writeInt((int) timestamp).writeInt(100);
        p.writeByte(0x10).writeByte(keyframe ? 0x00 : 0x01).writeZero(20);
        return p;
    }

    private static DownTrack receiver(TrackForwarder layer) {
        return new DownTrack(List.of(layer), 0, null, 555, -1, (d, l) -> { });
    }

    /**
     * Offers publisher packet {@code seq} to {@code downTrack} at {@code atMs}, as the stream does
     * (its keyframe flag read by the codec, deferred requests flushed first).
     *
     * @return the output sequence number sent, or -1 if held back
     */
    private int offer(DownTrack downTrack, int seq, boolean keyframe, long atMs) {
        ByteBuf packet = vp8(seq, seq * 3000L, keyframe);
        try {
            stream.flushKeyframeRequest(atMs * MS);
            if (!downTrack.admits(stream, packet, seq, VideoCodec.VP8.isKeyframeStart(packet), atMs * MS)) {
                return -1;
            }
            ByteBuf out = downTrack.sendForTest(packet);
            sent.add(out);
            return RtpPacket.sequenceNumber(out);
        } finally {
            packet.release();
        }
    }

    @Test
    void aReceiverIsSentNothingBeforeItsFirstKeyframe() {
        DownTrack downTrack = receiver(stream);
        assertThat(offer(downTrack, 1000, false, 0)).as("a delta frame first").isEqualTo(-1);
        assertThat(offer(downTrack, 1001, false, 33)).isEqualTo(-1);
        assertThat(downTrack.awaitingKeyframe()).isTrue();
        assertThat(offer(downTrack, 1002, true, 66)).as("the keyframe").isEqualTo(1002);
        assertThat(offer(downTrack, 1003, false, 99)).as("then everything").isEqualTo(1003);
    }

    @Test
    void aWaitingReceiverKeepsAskingAtABoundedRate() {
        DownTrack downTrack = receiver(stream);
        offer(downTrack, 1, false, 0);
        assertThat(stream.keyframeRequestsSent()).as("asked at once").isEqualTo(1);
        for (int ms = 33, seq = 2; ms < 1000; ms += 33, seq++) {
            offer(downTrack, seq, false, ms);
        }
        assertThat(stream.keyframeRequestsSent()).as("not again within the retry interval").isEqualTo(1);
        offer(downTrack, 40, false, 1000);
        assertThat(stream.keyframeRequestsSent()).as("the keyframe was lost: ask again").isEqualTo(2);
        offer(downTrack, 41, true, 1100);
        offer(downTrack, 42, false, 2200);
        assertThat(stream.keyframeRequestsSent()).as("no more once started").isEqualTo(2);
    }

    @Test
    void aRequestInsideTheCoalescingWindowIsDeferredNotDropped() {
        // A receiver connected at 0 ms asks; another's connection comes up at 100 ms and asks too.
        DownTrack first = receiver(stream);
        DownTrack late = receiver(stream);
        late.setNegotiated(false);
        offer(first, 1, false, 0);
        offer(late, 1, false, 0);
        assertThat(stream.keyframeRequestsSent()).isEqualTo(1);

        late.setNegotiated(true);
        offer(late, 4, false, 100);
        assertThat(stream.keyframeRequestsSent()).as("inside the window: deferred").isEqualTo(1);
        stream.flushKeyframeRequest(299 * MS);
        assertThat(stream.keyframeRequestsSent()).isEqualTo(1);
        stream.flushKeyframeRequest(300 * MS);
        assertThat(stream.keyframeRequestsSent()).as("sent at the window's end").isEqualTo(2);
        stream.flushKeyframeRequest(700 * MS);
        assertThat(stream.keyframeRequestsSent()).as("once").isEqualTo(2);

        assertThat(offer(first, 12, true, 350)).isEqualTo(12);
        assertThat(offer(late, 12, true, 350)).isEqualTo(12);
    }

    @Test
    void manyReceiversAskingAtOnceCostThePublisherOneKeyframe() {
        List<DownTrack> receivers = List.of(receiver(stream), receiver(stream), receiver(stream));
        receivers.forEach(d -> offer(d, 1, false, 0));
        receivers.forEach(d -> offer(d, 2, false, 50));
        assertThat(stream.keyframeRequestsSent()).isEqualTo(1);
        stream.flushKeyframeRequest(300 * MS);
        assertThat(stream.keyframeRequestsSent()).as("one deferred request for all of them").isEqualTo(2);
    }

    @Test
    void aReceiverWhosePeerDoesNotKnowItsSsrcYetIsNeitherSentToNorAsksForIt() {
        DownTrack downTrack = receiver(stream);
        downTrack.setNegotiated(false);
        assertThat(offer(downTrack, 1, true, 0)).as("a keyframe the client could not place").isEqualTo(-1);
        assertThat(stream.keyframeRequestsSent()).isZero();
        downTrack.setNegotiated(true);
        assertThat(offer(downTrack, 2, false, 10)).isEqualTo(-1);
        assertThat(stream.keyframeRequestsSent()).as("asks once answered").isEqualTo(1);
        assertThat(offer(downTrack, 3, true, 60)).isEqualTo(3);
    }

    @Test
    void restartingOnAKeyframeLeavesNoGapInTheSequence() {
        DownTrack downTrack = receiver(stream);
        assertThat(offer(downTrack, 10, true, 0)).isEqualTo(10);
        assertThat(offer(downTrack, 11, false, 33)).isEqualTo(11);
        downTrack.awaitKeyframe(); // the receiver's connection came back
        assertThat(offer(downTrack, 12, false, 66)).isEqualTo(-1);
        assertThat(offer(downTrack, 13, false, 99)).isEqualTo(-1);
        assertThat(stream.keyframeRequestsSent()).as("asked again on restart").isEqualTo(1);
        assertThat(offer(downTrack, 14, true, 400)).as("continues after 11").isEqualTo(12);
        assertThat(offer(downTrack, 15, false, 433)).isEqualTo(13);
        assertThat(downTrack.originalSequence(13)).isEqualTo(15);
    }

    @Test
    void audioNeedsNoKeyframe() {
        TrackForwarder audio = new TrackForwarder("a", false, VideoCodec.VP8, 48000, null, 7);
        DownTrack downTrack = receiver(audio);
        assertThat(downTrack.awaitingKeyframe()).isFalse();
        ByteBuf packet = vp8(5, 960, false);
        try {
            assertThat(downTrack.admits(audio, packet, 5, true, 0)).isTrue();
        } finally {
            packet.release();
        }
        assertThat(audio.keyframeRequestsSent()).isZero();
    }

    @Test
    void aLayerSwitchWhoseKeyframeIsLostAsksAgain() {
        TrackForwarder high = new TrackForwarder("t", true, VideoCodec.VP8, 90000, null, 200);
        DownTrack downTrack = new DownTrack(List.of(stream, high), 0, null, 555, -1, (d, l) -> { });
        assertThat(offer(downTrack, 1, true, 0)).isEqualTo(1);
        downTrack.setMaxLayer(1, 10 * MS);
        assertThat(high.keyframeRequestsSent()).as("asked for the target layer's keyframe").isEqualTo(1);
        ByteBuf delta = vp8(900, 0, false);
        try {
            assertThat(downTrack.admits(high, delta, 900, false, 500 * MS)).isFalse();
            assertThat(high.keyframeRequestsSent()).isEqualTo(1);
            assertThat(downTrack.admits(high, delta, 901, false, 1010 * MS)).isFalse();
            assertThat(high.keyframeRequestsSent()).as("asked again after the retry interval").isEqualTo(2);
        } finally {
            delta.release();
        }
    }
}
