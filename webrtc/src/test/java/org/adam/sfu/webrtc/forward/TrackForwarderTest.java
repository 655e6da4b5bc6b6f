package org.adam.sfu.webrtc.forward;

import static org.adam.sfu.webrtc.forward.RecordingLinks.vp8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.webrtc.rtp.RtpPacket;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One published stream: fan-out to its receivers' own copies, the original kept for
 * retransmission, keyframe requests coalesced, uplink loss NACKed; recording links, simulated time.
 */
class TrackForwarderTest {

    private static final long MS = 1_000_000L;
    private static final String PLI = "206/1";
    private static final String NACK = "205/1";

    private final RecordingLinks.Publisher publisher = new RecordingLinks.Publisher();
    private final TrackForwarder video = new TrackForwarder("v", true, VideoCodec.VP8, 90000, null, publisher, 100);
    private final List<RecordingLinks.Receiver> links = new ArrayList<>();

    @AfterEach
    void release() {
        links.forEach(RecordingLinks.Receiver::release);
        publisher.release();
        video.close();
    }

    private RecordingLinks.Receiver receiver(TrackForwarder stream, int ssrc) {
        RecordingLinks.Receiver link = new RecordingLinks.Receiver();
        links.add(link);
        stream.addDownTrack(new DownTrack(List.of(stream), 0, null, link, ssrc, -1, (d, l) -> { }));
        return link;
    }

    @Test
    void eachReceiverGetsItsOwnCopyAndTheOriginalIsCached() {
        RecordingLinks.Receiver a = receiver(video, 1);
        RecordingLinks.Receiver b = receiver(video, 2);
        RecordingLinks.Receiver c = receiver(video, 3);
        ByteBuf packet = vp8(100, 10, 3000, true);
        video.forward(packet, 0);
        assertThat(List.of(a, b, c)).allSatisfy(link -> assertThat(link.sent).hasSize(1));
        assertThat(RtpPacket.ssrc(a.sent.get(0))).isEqualTo(1);
        assertThat(RtpPacket.ssrc(b.sent.get(0))).isEqualTo(2);
        assertThat(RtpPacket.ssrc(c.sent.get(0))).isEqualTo(3);
        assertThat(a.sent.get(0)).isNotSameAs(b.sent.get(0)).isNotSameAs(packet);
        assertThat(video.cached(10, 0)).isSameAs(packet);
        assertThat(video.receiverCount()).isEqualTo(3);
        assertThat(video.packetsIn()).isEqualTo(1);
    }

    @Test
    void onlyReceiversThatAdmitThePacketGetIt() {
        RecordingLinks.Receiver started = receiver(video, 1);
        video.forward(vp8(100, 10, 3000, true), 0);
        RecordingLinks.Receiver late = receiver(video, 2);
        video.forward(vp8(100, 11, 6000, false), 33 * MS);
        assertThat(started.sent).hasSize(2);
        assertThat(late.sent).as("waits for a keyframe").isEmpty();
    }

    @Test
    void aRemovedReceiverGetsNothingMore() {
        RecordingLinks.Receiver link = new RecordingLinks.Receiver();
        links.add(link);
        DownTrack downTrack = new DownTrack(List.of(video), 0, null, link, 1, -1, (d, l) -> { });
        video.addDownTrack(downTrack);
        video.forward(vp8(100, 10, 3000, true), 0);
        video.removeDownTrack(downTrack);
        video.forward(vp8(100, 11, 6000, false), 0);
        assertThat(link.sent).hasSize(1);
        assertThat(video.receiverCount()).isZero();
    }

    @Test
    void audioIsReleasedOnceFannedOut() {
        TrackForwarder audio = new TrackForwarder("a", false, null, 48000, null, publisher, 7);
        RecordingLinks.Receiver link = receiver(audio, 1);
        ByteBuf packet = vp8(7, 1, 960, false);
        audio.forward(packet, 0);
        assertThat(link.sent).hasSize(1);
        assertThat(packet.refCnt()).isZero();
        assertThat(audio.cached(1, 0)).isNull();
    }

    @Test
    void keyframeRequestsAreCoalescedAndTheOwedOneGoesWithTheNextPacket() {
        video.requestKeyframe(0);
        video.requestKeyframe(100 * MS);
        video.requestKeyframe(200 * MS);
        assertThat(publisher.rtcp).hasSize(1);
        assertThat(publisher.kind(0)).isEqualTo(PLI);
        video.forward(vp8(100, 1, 0, false), 299 * MS);
        assertThat(publisher.rtcp).hasSize(1);
        video.forward(vp8(100, 2, 0, false), 300 * MS);
        assertThat(publisher.rtcp).as("deferred, not dropped").hasSize(2);
        assertThat(video.keyframeRequestsSent()).isEqualTo(2);
    }

    @Test
    void nobodyIsAskedBeforeTheStreamsSsrcIsKnownNorAfterItCloses() {
        TrackForwarder layer = new TrackForwarder("v", true, VideoCodec.VP8, 90000, null, publisher, 0);
        layer.requestKeyframe(0);
        assertThat(layer.keyframeRequestsSent()).isZero();
        layer.bindSource(0x4444);
        layer.requestKeyframe(0);
        assertThat(publisher.rtcp).hasSize(1);
        assertThat(publisher.rtcp.get(0).getInt(8)).isEqualTo(0x4444);
        layer.close();
        layer.requestKeyframe(1000 * MS);
        assertThat(layer.keyframeRequestsSent()).isEqualTo(1);
    }

    @Test
    void uplinkLossIsNackedAtOnce() {
        video.forward(vp8(100, 1, 0, true), 0);
        video.forward(vp8(100, 4, 0, false), 0);
        assertThat(publisher.rtcp).hasSize(1);
        assertThat(publisher.kind(0)).isEqualTo(NACK);
        ByteBuf nack = publisher.rtcp.get(0);
        assertThat(nack.getInt(8)).as("media SSRC").isEqualTo(100);
        assertThat(nack.getUnsignedShort(12)).as("PID").isEqualTo(2);
        assertThat(nack.getUnsignedShort(14)).as("BLP: 3 too").isEqualTo(1);
        assertThat(publisher.counters.uplinkNacks.sum()).isEqualTo(1);
    }
}
