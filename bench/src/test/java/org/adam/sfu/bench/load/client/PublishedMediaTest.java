package org.adam.sfu.bench.load.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.adam.sfu.bench.load.media.MediaSource;
import org.adam.sfu.bench.load.media.RtpStreamWriter;
import org.adam.sfu.webrtc.rtcp.RtcpWriter;
import org.junit.jupiter.api.Test;

/** A participant's streams: keyframes where the node asks, and the counters of what went out. */
class PublishedMediaTest {

    private static final Random RANDOM = new Random(1);

    /** A stream that only notes what it is asked. */
    private static final class Recorded implements MediaSource {
        private final RtpStreamWriter stream;
        final List<Long> ticks = new ArrayList<>();
        int keyframesAsked;

        Recorded(int ssrc) {
            stream = RtpStreamWriter.create(ssrc, 96, 1, "0", 0, null, 0, RANDOM);
        }

        @Override
        public void tick(long nowNanos, ClientTransport out) {
            ticks.add(nowNanos);
        }

        @Override
        public RtpStreamWriter stream() {
            return stream;
        }

        @Override
        public void requestKeyframe() {
            keyframesAsked++;
        }
    }

    @Test
    void aPliAsksOnlyTheStreamItNames() {
        Recorded audio = new Recorded(11);
        Recorded video = new Recorded(22);
        PublishedMedia media = new PublishedMedia(List.of(audio, video));
        ByteBuf compound = Unpooled.buffer();
        RtcpWriter.receiverReport(compound, 99);
        RtcpWriter.pli(compound, 99, 22);
        RtcpWriter.pli(compound, 99, 33);

        media.onRtcp(compound);

        assertThat(video.keyframesAsked).isEqualTo(1);
        assertThat(audio.keyframesAsked).isZero();
    }

    @Test
    void aFirAsksTheStreamItTargets() {
        Recorded low = new Recorded(0xFFFFFF01);
        Recorded high = new Recorded(44);
        PublishedMedia media = new PublishedMedia(List.of(low, high));
        ByteBuf compound = Unpooled.buffer();
        RtcpWriter.fir(compound, 99, 0xFFFFFF01, 1);

        media.onRtcp(compound);

        assertThat(low.keyframesAsked).isEqualTo(1);
        assertThat(high.keyframesAsked).isZero();
    }

    @Test
    void everyStreamIsTickedWithTheSameTime() {
        Recorded audio = new Recorded(11);
        Recorded video = new Recorded(22);
        new PublishedMedia(List.of(audio, video)).tick(5_000_000, null);
        assertThat(audio.ticks).containsExactly(5_000_000L);
        assertThat(video.ticks).containsExactly(5_000_000L);
    }

    @Test
    void whatWentOutIsSummedOverTheStreams() {
        Recorded audio = new Recorded(11);
        Recorded video = new Recorded(22);
        PublishedMedia media = new PublishedMedia(List.of(audio, video));
        audio.stream().finish(Unpooled.buffer().writeZero(100), 0);
        video.stream().finish(Unpooled.buffer().writeZero(1000), 0);
        video.stream().finish(Unpooled.buffer().writeZero(1000), 0);

        long[] sent = media.sentCounters();
        assertThat(sent[0]).isEqualTo(3);
        assertThat(sent[1]).isEqualTo(audio.stream().bytesSent() + video.stream().bytesSent()).isGreaterThan(2100);
    }

    @Test
    void simulcastSendsAudioAndThreeLayersEachOnItsOwnSsrc() {
        PublishedMedia simulcast = PublishedMedia.create(true, 11, 22, RANDOM);
        PublishedMedia single = PublishedMedia.create(false, 11, 22, RANDOM);
        assertThat(simulcast.keyframesSent()).isZero();
        assertThat(single.keyframesSent()).isZero();
        assertThat(simulcast.sentCounters()).containsExactly(0, 0);
    }
}
