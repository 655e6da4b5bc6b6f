package org.adam.sfu.bench.report;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/** Markdown tables of results.json: one per scenario, ours against the peer SFU, with their ratio. */
final class ResultTables {

    private static final String PEER = "janus";

    private ResultTables() {
    }

    static String render(JsonNode root, List<RunResult> runs, List<Path> plots, Path markdownDirectory) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Measured at commit `%s` on %s, %s; command: `%s`.%n%n",
                root.path("commit").asText("?"), root.path("jdk").asText("?"), root.path("machine").asText("?"),
                root.path("command").asText("?")));
        Map<String, List<RunResult>> byScenario = new LinkedHashMap<>();
        for (RunResult run : runs) {
            byScenario.computeIfAbsent(run.scenario(), s -> new java.util.ArrayList<>()).add(run);
        }
        byScenario.forEach((scenario, scenarioRuns) -> table(out, scenario, scenarioRuns));
        for (Path plot : plots) {
            String relative = markdownDirectory.relativize(plot.toAbsolutePath()).toString();
            out.append(String.format(Locale.ROOT, "![%s](%s)%n%n", plot.getFileName(), relative));
        }
        return out.toString();
    }

    private static void table(StringBuilder out, String scenario, List<RunResult> runs) {
        out.append("### ").append(scenario).append("\n\n");
        out.append("| subscribers | SFU | CPU cores | CPU us/packet | CPU per Mbit/s | packets/s | Mbit/s | loss"
                + " | p50 ms | p99 ms | max ms | CPU/Mbit/s ratio (ours / janus) |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        TreeMap<Integer, Map<String, RunResult>> bySize = new TreeMap<>();
        for (RunResult run : runs) {
            bySize.computeIfAbsent(run.subscribers(), n -> new TreeMap<>()).put(run.sfu(), run);
        }
        bySize.forEach((subscribers, bySfu) -> {
            RunResult peer = bySfu.get(PEER);
            bySfu.values().forEach(run -> {
                String ratio = "";
                // Every configuration of ours (one node, more media workers) against the same peer run.
                if (run.sfu().startsWith("ours") && peer != null && peer.cpuPerForwardedMbps() > 0) {
                    ratio = String.format(Locale.ROOT, "%.2f", run.cpuPerForwardedMbps() / peer.cpuPerForwardedMbps());
                }
                out.append(String.format(Locale.ROOT,
                        "| %d | %s | %.3f | %.2f | %.4f | %.0f | %.1f | %.2f %% | %.2f | %.2f | %.2f | %s |%n",
                        subscribers, run.sfu(), run.cpuCores(), run.cpuMicrosPerForwardedPacket(),
                        run.cpuPerForwardedMbps(), run.forwardedPacketsPerSecond(), run.forwardedMbps(),
                        run.loss() * 100, run.latencyP50Ms(), run.latencyP99Ms(), run.latencyMaxMs(), ratio));
            });
        });
        out.append('\n');
    }
}
