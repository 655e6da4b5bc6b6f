package org.adam.sfu.bench.load.scenario;

import java.util.List;

/**
 * The figures of one measured run, written as one JSON object of results.json. Field names
 * match what the benchmark report reads ({@code bench/.../report/RunResult}); the rest are extra.
 * Latencies and jitter in milliseconds; -1 where a figure could not be measured.
 */
public record RunFigures(String scenario, String sfu, int rooms, long publishers, int subscribers,
                         int forwardedStreams, double durationSeconds, long packetsSent, long packetsReceived,
                         double forwardedPacketsPerSecond, double forwardedMbps, long expectedPackets,
                         long lostPackets, double loss, double latencyP50Ms, double latencyP99Ms,
                         double latencyMaxMs, long latencySamples, double jitterMs, long retransmissionsReceived,
                         double nodeCpuSeconds, double nodeCpuMicrosPerForwardedPacket, double loadgenCpuSeconds,
                         long loadgenGcMillis, double nodeForwardedPackets,
                         double nodeHeapUsedBytes, double nodeGcPauses, double nodeGcPauseSeconds,
                         double nodeGcPauseMaxMs, String srtpProfile, int receiversConnected,
                         long keyframesSent, List<String> failures, String jdk, String commit) {
}
