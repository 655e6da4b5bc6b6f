package org.adam.sfu.webrtc.forward;

import static org.adam.sfu.webrtc.forward.RecordingLinks.vp8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.collection.IntObjectHashMap;
import org.adam.sfu.webrtc.rtcp.RtcpWriter;
import org.adam.sfu.webrtc.rtp.RtpPacket;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.adam.sfu.webrtc.transport.MediaCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A receiver's RTCP: NACKs answered from the cache on its RTX stream (or asked of the publisher),
 * PLI and FIR turned into a keyframe request upstream. Recording links, simulated time.
 */
class RtcpFeedbackHandlerTest {

    private static final long MS = 1_000_000L;
    private static final int RECEIVER_SSRC = 555;

    private final RecordingLinks.Publisher publisher = new RecordingLinks.Publisher();
    private final TrackForwarder layer = new TrackForwarder("v", true, VideoCodec.VP8, 90000, null, publisher, 100);
    private final RecordingLinks.Receiver link = new RecordingLinks.Receiver();
    private final RecordingLinks.Receiver other = new RecordingLinks.Receiver();
    private final DownTrack downTrack = new DownTrack(List.of(layer), 0, null, link, RECEIVER_SSRC, -1, (d, l) -> { });
    private final IntObjectHashMap<TrackForwarder> inbound = new IntObjectHashMap<>();
    private final IntObjectHashMap<DownTrack> outbound = new IntObjectHashMap<>();
    private final MediaCounters counters = new MediaCounters();

    {
        downTrack.setRtx(777, 98);
        layer.addDownTrack(downTrack);
        layer.addDownTrack(new DownTrack(List.of(layer), 0, null, other, 666, -1, (d, l) -> { }));
        outbound.put(RECEIVER_SSRC, downTrack);
    }

    @AfterEach
    void release() {
        link.release();
        other.release();
        publisher.release();
        layer.close();
    }

    private void handle(RtcpFeedbackHandler handler, ByteBuf compound, long nowNanos) {
        try {
            handler.handle(compound, inbound, outbound, null, false, nowNanos, counters);
        } finally {
            compound.release();
        }
    }

    private static ByteBuf nack(int mediaSsrc, int... lost) {
        ByteBuf out = Unpooled.buffer();
        RtcpWriter.nack(out, 9, mediaSsrc, lost, lost.length);
        return out;
    }

    @Test
    void aNackOfACachedPacketIsResentOnTheRtxStream() {
        layer.forward(vp8(100, 10, 3000, true), 0);
        layer.forward(vp8(100, 11, 6000, false), 0);
        handle(new RtcpFeedbackHandler(true), nack(RECEIVER_SSRC, 11), 20 * MS);
        assertThat(link.sent).hasSize(3);
        ByteBuf resent = link.sent.get(2);
        assertThat(RtpPacket.ssrc(resent)).isEqualTo(777);
        assertThat(resent.getUnsignedShort(RtpPacket.FIXED_HEADER)).isEqualTo(11);
        assertThat(counters.nacksReceived.sum()).isEqualTo(1);
        assertThat(counters.nacksRelayed.sum()).isZero();
        assertThat(publisher.rtcp).as("nothing asked of the publisher").isEmpty();
        assertThat(other.sent).as("the other receiver did not ask").hasSize(2);
    }

    @Test
    void aNackOfAPacketNoLongerCachedIsAskedOfThePublisherAndItsLateArrivalLetThrough() {
        layer.forward(vp8(100, 10, 3000, true), 0);
        layer.forward(vp8(100, 11, 6000, false), 0);
        long later = RetransmissionCache.MAX_AGE_NANOS + 100 * MS;
        handle(new RtcpFeedbackHandler(true), nack(RECEIVER_SSRC, 11), later);
        assertThat(link.sent).hasSize(2);
        assertThat(publisher.rtcp).hasSize(1);
        assertThat(publisher.kind(0)).isEqualTo("205/1");
        assertThat(publisher.rtcp.get(0).getInt(8)).isEqualTo(100);
        assertThat(publisher.rtcp.get(0).getUnsignedShort(12)).as("the publisher's sequence").isEqualTo(11);
        assertThat(counters.nacksRelayed.sum()).isEqualTo(1);

        layer.forward(vp8(100, 11, 6000, false), later + 30 * MS);
        assertThat(link.sent).as("the receiver that asked gets the late packet").hasSize(3);
        assertThat(other.sent).as("the other does not get it twice").hasSize(2);
    }

    @Test
    void nacksAreOnlyCountedWhenAnsweringIsOff() {
        layer.forward(vp8(100, 10, 3000, true), 0);
        handle(new RtcpFeedbackHandler(false), nack(RECEIVER_SSRC, 10), 0);
        assertThat(link.sent).hasSize(1);
        assertThat(counters.nacksReceived.sum()).isEqualTo(1);
    }

    @Test
    void aPliBecomesAKeyframeRequestToThePublisher() {
        ByteBuf pli = Unpooled.buffer();
        RtcpWriter.pli(pli, 9, RECEIVER_SSRC);
        handle(new RtcpFeedbackHandler(true), pli, 0);
        assertThat(counters.keyframeRequests.sum()).isEqualTo(1);
        assertThat(publisher.rtcp).hasSize(1);
        assertThat(publisher.kind(0)).isEqualTo("206/1");
        assertThat(publisher.rtcp.get(0).getInt(8)).isEqualTo(100);
    }

    @Test
    void aFirBecomesAKeyframeRequestToThePublisher() {
        ByteBuf fir = Unpooled.buffer();
        RtcpWriter.fir(fir, 9, RECEIVER_SSRC, 3);
        handle(new RtcpFeedbackHandler(true), fir, 0);
        assertThat(counters.keyframeRequests.sum()).isEqualTo(1);
        assertThat(layer.keyframeRequestsSent()).isEqualTo(1);
    }

    @Test
    void feedbackAboutAnUnknownSsrcIsIgnored() {
        ByteBuf pli = Unpooled.buffer();
        RtcpWriter.pli(pli, 9, 4242);
        handle(new RtcpFeedbackHandler(true), pli, 0);
        handle(new RtcpFeedbackHandler(true), nack(4242, 1), 0);
        assertThat(counters.keyframeRequests.sum()).isZero();
        assertThat(counters.nacksReceived.sum()).isZero();
        assertThat(publisher.rtcp).isEmpty();
    }
}
