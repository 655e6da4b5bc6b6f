package org.adam.sfu.room;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import org.adam.sfu.room.neighbourhood.SfuAnnounce;

/**
 * What this node tells the others about itself (`sfu-announce`): who it is, where clients reach
 * it, how full and how loaded it is, and the bandwidth it forwarded on average since it started.
 * Used on the SfuNode actor only.
 */
final class NodeAnnouncement {

    private final SfuNode.Settings settings;
    private final java.time.Clock clock;
    private final Instant started;
    private final LongSupplier forwardedBytes;
    private final DoubleSupplier cpuLoad;

    /** Starts the uptime now, on {@code environment}'s clock. */
    NodeAnnouncement(SfuNode.Settings settings, NodeEnvironment environment) {
        this.settings = settings;
        this.clock = environment.clock();
        this.started = clock.instant();
        this.forwardedBytes = environment.forwardedBytes();
        this.cpuLoad = environment.cpuLoad();
    }

    /** The announce of this node with {@code participants} here now. */
    SfuAnnounce announce(int participants, boolean draining) {
        long forwardedBits = forwardedBytes.getAsLong() * 8;
        long uptime = Duration.between(started, clock.instant()).toSeconds();
        long kbps = uptime == 0 ? 0 : forwardedBits / 1000 / uptime;
        return new SfuAnnounce(settings.did(), "", participants, settings.capacity(), settings.nodeId(),
                settings.signalUrl(), cpuLoad.getAsDouble(), kbps, uptime, draining);
    }
}
