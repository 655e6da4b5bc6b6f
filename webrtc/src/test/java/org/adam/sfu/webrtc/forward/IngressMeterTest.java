package org.adam.sfu.webrtc.forward;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a publisher sends on a stream: totals, node counters and rate, in simulated time. */
class IngressMeterTest {

    private static final long SECOND = 1_000_000_000L;

    private final IngressMeter meter = new IngressMeter();
    private final RecordingLinks.Publisher publisher = new RecordingLinks.Publisher();

    @Test
    void countsPacketsAndBytesHereAndNodeWide() {
        meter.onPacket(100, 1, publisher);
        meter.onPacket(50, 1, publisher);
        meter.onPacket(10, -1, null);
        assertThat(meter.packets()).isEqualTo(3);
        assertThat(meter.bytes()).isEqualTo(160);
        assertThat(publisher.counters.rtpReceived.sum()).isEqualTo(2);
        assertThat(publisher.counters.rtpReceivedBytes.sum()).isEqualTo(150);
        assertThat(publisher.counters.layerBytesIn[1].sum()).isEqualTo(150);
        assertThat(publisher.counters.pipeBytesIn.sum()).isZero();
    }

    @Test
    void theRateOverASecondAndTheLastRateWhilePaused() {
        assertThat(meter.bitrateBps(SECOND)).as("never measured").isEqualTo(-1);
        meter.onPacket(125_000, -1, null);
        assertThat(meter.bitrateBps(SECOND + SECOND / 2)).as("not a second yet").isEqualTo(-1);
        assertThat(meter.bitrateBps(2 * SECOND)).isEqualTo(1_000_000);
        assertThat(meter.bitrateBps(3 * SECOND)).as("paused: the last rate").isEqualTo(1_000_000);
        meter.onPacket(62_500, -1, null);
        assertThat(meter.bitrateBps(4 * SECOND)).isEqualTo(500_000);
    }
}
