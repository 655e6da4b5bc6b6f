package org.adam.sfu.room;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import org.adam.sfu.room.media.MediaServices;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Leave;

/**
 * What an {@link SfuNode} reads of the world around it and how it acts on it, passed in so tests
 * can stand in for each: the wall clock, the bytes the data plane forwarded, the machine's load,
 * and leaving the cluster. Read on the SfuNode actor only.
 *
 * @param clock          the uptime and bandwidth announced are measured on it
 * @param forwardedBytes RTP bytes this node's media workers forwarded since they started
 * @param cpuLoad        the machine's load as a fraction of its cores, 0 to 1
 * @param leaveCluster   makes this node leave the cluster (after a drain)
 */
record NodeEnvironment(Clock clock, LongSupplier forwardedBytes, DoubleSupplier cpuLoad,
                       Consumer<ActorSystem<?>> leaveCluster) {

    /** The real world: the system clock, the node's media counters, the operating system's load. */
    static NodeEnvironment of(MediaServices media) {
        return new NodeEnvironment(Clock.systemUTC(), () -> media.counters().rtpForwardedBytes.sum(),
                NodeEnvironment::systemCpuLoad, NodeEnvironment::leave);
    }

    /** The load average over the cores, 0 where the system does not tell it. */
    static double systemCpuLoad() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        return load < 0 ? 0 : Math.min(1.0, load / cores);
    }

    private static void leave(ActorSystem<?> system) {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Leave.create(cluster.selfMember().address()));
    }
}
