package org.adam.sfu.bench.load.node;

/**
 * The node at one instant. Heap and GC come from Micrometer's JVM meters ({@code jvmMeters}
 * false when the node does not expose them; those fields are then -1).
 */
public record NodeSnapshot(long atNanos, double cpuSeconds, double heapUsedBytes, double gcPauses,
                           double gcPauseSeconds, double gcPauseMaxSeconds, double forwardedPackets,
                           double receivedPackets, boolean jvmMeters) {
}
