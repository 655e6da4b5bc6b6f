package org.adam.sfu.webrtc.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The estimator against a simulated bottleneck: a FIFO link of some rate with a bounded queue. */
class BandwidthEstimatorTest {

    private static final long MS = 1_000_000L;

    private final BandwidthEstimator estimator = new BandwidthEstimator(5_000_000, 100_000, 50_000_000);
    private int seq;
    private long now = 1_000 * MS;
    private long linkFreeAtMicros;

    /**
     * Sends at {@code sendBps} in 1,000-byte packets for {@code millis}, through a link of
     * {@code linkBps} (0: unlimited) that drops what would queue over 150 ms, with feedback every
     * 100 ms as a receiver would give it.
     */
    private void run(long sendBps, long linkBps, int millis) {
        long gapNanos = 1000L * 8 * 1_000_000_000L / sendBps;
        long end = now + millis * MS;
        long nextFeedback = now + 100 * MS;
        int firstUnreported = seq;
        long[] arrivals = new long[200_000];
        while (now < end) {
            estimator.onSent(seq & 0xFFFF, 1000, now);
            long sentMicros = now / 1000;
            long arrival;
            if (linkBps == 0) {
                arrival = sentMicros + 20_000;
            } else {
                long start = Math.max(sentMicros, linkFreeAtMicros);
                if (start - sentMicros > 150_000) {
                    arrival = -1;
                } else {
                    linkFreeAtMicros = start + 1000L * 8 * 1_000_000 / linkBps;
                    arrival = linkFreeAtMicros + 20_000;
                }
            }
            arrivals[seq - firstUnreported] = arrival;
            seq++;
            now += gapNanos;
            if (now >= nextFeedback) {
                for (int s = firstUnreported; s < seq; s++) {
                    long a = arrivals[s - firstUnreported];
                    estimator.onPacketResult(s & 0xFFFF, a >= 0, Math.max(a, 0) + 7_000_000_000L);
                }
                firstUnreported = seq;
                nextFeedback += 100 * MS;
                estimator.evaluate(now);
            }
        }
    }

    @Test
    void anUncongestedLinkKeepsTheEstimate() {
        run(1_500_000, 0, 3000);
        assertThat(estimator.estimate()).isEqualTo(5_000_000);
        assertThat(estimator.lossFraction()).isZero();
    }

    @Test
    void aBottleneckBringsTheEstimateBelowItsRateWithinASecond() {
        run(1_500_000, 0, 2000);
        run(1_500_000, 300_000, 1000);
        assertThat(estimator.estimate()).isBetween(200_000L, 300_000L);
    }

    @Test
    void theEstimateGrowsOnlyWithTrafficThatGetsThrough() {
        run(1_500_000, 300_000, 2000);
        long limited = estimator.estimate();
        run(200_000, 0, 3000);
        assertThat(estimator.estimate()).as("idle headroom proves nothing").isEqualTo(limited);
        run(800_000, 0, 1500);
        assertThat(estimator.estimate()).as("a probe that got through").isGreaterThan(800_000);
    }

    @Test
    void rembStandsInWithoutTransportCc() {
        estimator.onRemb(700_000);
        assertThat(estimator.estimate()).isEqualTo(700_000);
        estimator.onRemb(10);
        assertThat(estimator.estimate()).as("floored").isEqualTo(100_000);
    }
}
