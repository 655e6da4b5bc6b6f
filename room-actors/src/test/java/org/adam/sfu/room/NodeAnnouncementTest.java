package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.adam.sfu.room.neighbourhood.SfuAnnounce;
import org.adam.sfu.room.policy.SfuPresence;
import org.junit.jupiter.api.Test;

class NodeAnnouncementTest {

    static final SfuNode.Settings SETTINGS = new SfuNode.Settings("node-a", "did:key:z6MkA", "gateway", 10,
            "wss://a.example/signal", null, new SfuPresence());

    @Test
    void announcesUptimeAndTheAverageForwardedBandwidthOnTheClockItIsGiven() {
        ManualClock clock = new ManualClock();
        AtomicLong forwarded = new AtomicLong();
        NodeAnnouncement announcement = new NodeAnnouncement(SETTINGS,
                new NodeEnvironment(clock, forwarded::get, () -> 0.5, system -> { }));

        SfuAnnounce atStart = announcement.announce(3, false);
        assertThat(atStart.uptimeS()).isZero();
        assertThat(atStart.bandwidthKbps()).as("no time to average over").isZero();

        clock.advance(Duration.ofSeconds(10));
        forwarded.set(2_500_000); // 20 Mbit in 10 s
        SfuAnnounce later = announcement.announce(4, true);

        assertThat(later.uptimeS()).isEqualTo(10);
        assertThat(later.bandwidthKbps()).isEqualTo(2000);
        assertThat(later).isEqualTo(new SfuAnnounce("did:key:z6MkA", "", 4, 10, "node-a", "wss://a.example/signal",
                0.5, 2000, 10, true));
    }

    @Test
    void theSystemLoadIsAFractionOfTheCores() {
        assertThat(NodeEnvironment.systemCpuLoad()).isBetween(0.0, 1.0);
    }
}
