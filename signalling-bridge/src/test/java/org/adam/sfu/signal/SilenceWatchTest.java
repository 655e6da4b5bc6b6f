package org.adam.sfu.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class SilenceWatchTest {

    private final SilenceWatch watch = new SilenceWatch(Duration.ofSeconds(15), Duration.ofSeconds(45));

    @Test
    void pingsTwiceThenClosesASocketSilentFor45Seconds() {
        assertThat(watch.onSilentInterval(true)).isEqualTo(SilenceWatch.Action.PING);   // 15 s
        assertThat(watch.onSilentInterval(false)).isEqualTo(SilenceWatch.Action.PING);  // 30 s
        assertThat(watch.onSilentInterval(false)).isEqualTo(SilenceWatch.Action.CLOSE); // 45 s
    }

    @Test
    void anythingHeardStartsTheCountAgain() {
        watch.onSilentInterval(true);
        watch.onSilentInterval(false);
        // The client answered a ping: the next idle event is a first one again.
        assertThat(watch.onSilentInterval(true)).isEqualTo(SilenceWatch.Action.PING);
        assertThat(watch.onSilentInterval(false)).isEqualTo(SilenceWatch.Action.PING);
    }
}
