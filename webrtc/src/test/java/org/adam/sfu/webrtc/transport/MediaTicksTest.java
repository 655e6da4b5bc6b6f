package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.embedded.EmbeddedChannel;
import org.adam.sfu.webrtc.forward.MediaRouter;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.speaker.SpeakerDetection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A worker's periodic work, on an embedded event loop whose time the test advances. */
class MediaTicksTest {

    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final MediaRouter router = new MediaRouter();
    private final AtomicInteger flushes = new AtomicInteger();
    private MediaTicks ticks;

    @BeforeEach
    void start() {
        loop.freezeTime();
        ticks = new MediaTicks(new TransportRegistry(), router, new SpeakerDetection(Runnable::run),
                new ManualMediaClock(0), null, flushes::incrementAndGet);
        ticks.start(loop.eventLoop());
    }

    @AfterEach
    void stop() {
        loop.finishAndReleaseAll();
    }

    private void advance(long millis) {
        loop.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        loop.runScheduledPendingTasks();
    }

    @Test
    void everyFiftyMillisecondsTheChecksTickEndsWithAFlush() {
        advance(49);
        assertThat(flushes).hasValue(0);
        advance(1);
        assertThat(flushes).hasValue(1);
        advance(50);
        assertThat(flushes).hasValue(2);
    }

    @Test
    void onceASecondTheTrackTotalsArePublished() {
        router.add(new TrackForwarder("a", false, null, 48000, null, 1));
        router.add(new TrackForwarder("b", false, null, 48000, null, 2));
        assertThat(ticks.trackTotals()).isEqualTo(TrackTotals.NONE);
        advance(999);
        assertThat(ticks.trackTotals()).isEqualTo(TrackTotals.NONE);
        advance(1);
        assertThat(ticks.trackTotals().tracks()).isEqualTo(2);
        assertThat(ticks.trackTotals().receivers()).isZero();
        assertThat(ticks.transportPaths()).isEqualTo(TransportPaths.NONE);
    }

    @Test
    void nothingTicksOnceCancelled() {
        ticks.cancel();
        router.add(new TrackForwarder("a", false, null, 48000, null, 1));
        advance(2_000);
        assertThat(flushes).hasValue(0);
        assertThat(ticks.trackTotals()).isEqualTo(TrackTotals.NONE);
    }
}
