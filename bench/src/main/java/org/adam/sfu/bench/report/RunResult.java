package org.adam.sfu.bench.report;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One measured run of results.json: one SFU under one scenario at one size.
 *
 * @param scenario                  {@code fan-out}, {@code many-rooms}, {@code simulcast} or {@code cascade}
 * @param sfu                       {@code ours} or {@code janus} (or {@code ours-3-nodes} for the cascade)
 * @param subscribers               receivers in the run (the x axis of the fan-out plots)
 * @param forwardedStreams          subscriber-tracks the SFU forwarded (video and audio counted apart)
 * @param nodeCpuSeconds            user + system CPU of the SFU process(es) over the measured window
 * @param durationSeconds           the measured window
 * @param forwardedPacketsPerSecond packets the receivers got per second, all together
 * @param forwardedMbps             what the receivers got, Mbit/s
 * @param loss                      lost / expected at the receivers, 0..1
 * @param latencyP50Ms              added one-way latency, median
 * @param latencyP99Ms              added one-way latency, 99th percentile
 * @param latencyMaxMs              added one-way latency, largest
 */
public record RunResult(String scenario, String sfu, int subscribers, int forwardedStreams, double nodeCpuSeconds,
                        double durationSeconds, double forwardedPacketsPerSecond, double forwardedMbps, double loss,
                        double latencyP50Ms, double latencyP99Ms, double latencyMaxMs) {

    static List<RunResult> allOf(JsonNode root) {
        List<RunResult> runs = new ArrayList<>();
        for (JsonNode run : root.path("runs")) {
            runs.add(new RunResult(run.path("scenario").asText(), run.path("sfu").asText(),
                    run.path("subscribers").asInt(), run.path("forwardedStreams").asInt(),
                    run.path("nodeCpuSeconds").asDouble(), run.path("durationSeconds").asDouble(),
                    run.path("forwardedPacketsPerSecond").asDouble(), run.path("forwardedMbps").asDouble(),
                    run.path("loss").asDouble(), run.path("latencyP50Ms").asDouble(),
                    run.path("latencyP99Ms").asDouble(), run.path("latencyMaxMs").asDouble()));
        }
        return runs;
    }

    /** Share of one core the SFU used, 0..cores. */
    public double cpuCores() {
        return durationSeconds > 0 ? nodeCpuSeconds / durationSeconds : 0;
    }

    /** CPU microseconds the SFU spent per packet it forwarded. */
    public double cpuMicrosPerForwardedPacket() {
        double packets = forwardedPacketsPerSecond * durationSeconds;
        return packets > 0 ? nodeCpuSeconds * 1e6 / packets : 0;
    }

    /** CPU milliseconds per second per forwarded stream (what one more receiver of one track costs). */
    public double cpuMillisPerStream() {
        return forwardedStreams > 0 ? cpuCores() * 1000 / forwardedStreams : 0;
    }

    /** Share of one core per forwarded Mbit/s: the figure compared against the peer SFU. */
    public double cpuPerForwardedMbps() {
        return forwardedMbps > 0 ? cpuCores() / forwardedMbps : 0;
    }
}
