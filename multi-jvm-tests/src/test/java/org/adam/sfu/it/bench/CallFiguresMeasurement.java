package org.adam.sfu.it.bench;

import org.adam.sfu.it.BrowserDriver;
import org.adam.sfu.it.BrowserPage;
import org.adam.sfu.it.NodeProcess;
import org.adam.sfu.it.SingleNodeCallTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Figures of a single-node call, not a pass/fail test (so not run by the suite): join-to-first-
 * decoded-frame time over 5 joins, and node CPU while three Chromium participants call.
 * Run with: mvn -pl multi-jvm-tests test -Dtest=CallFiguresMeasurement -Dsurefire.failIfNoSpecifiedTests=false
 * Writes docs/benchmarks/single-node-call.json.
 */
class CallFiguresMeasurement {

    private static final int RUNS = 5;
    private static final Duration CPU_WINDOW = Duration.ofSeconds(30);

    @Test
    void measure() throws Exception {
        try (NodeProcess node = NodeProcess.start("figures", 18100, 41020);
             BrowserDriver browser = BrowserDriver.start()) {
            List<Double> joinToFirstFrame = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                String room = "figures-join-" + run;
                BrowserPage publisher = browser.open(room + "-pub", SingleNodeCallTest.roomUrl(node, room, "pub"));
                publisher.awaitState("joined", Duration.ofSeconds(20));
                Thread.sleep(3000);
                BrowserPage joiner = browser.open(room + "-join", SingleNodeCallTest.roomUrl(node, room, "join"));
                joinToFirstFrame.add(firstFrameAfterJoin(joiner));
                joiner.close();
                publisher.close();
            }

            String room = "figures-cpu";
            List<BrowserPage> pages = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                BrowserPage page = browser.open(room + "-" + name, SingleNodeCallTest.roomUrl(node, room, name));
                page.awaitState("joined", Duration.ofSeconds(20));
                pages.add(page);
            }
            pages.get(0).awaitInbound(s -> s.stream().filter(i -> i.kind().equals("video") && i.framesDecoded() > 30)
                    .count() == 2, Duration.ofSeconds(40));
            Thread.sleep(5000);
            long bytesBefore = receivedBytes(pages);
            Duration cpuBefore = node.cpuTime();
            Instant start = Instant.now();
            Thread.sleep(CPU_WINDOW.toMillis());
            Duration cpu = node.cpuTime().minus(cpuBefore);
            Duration wall = Duration.between(start, Instant.now());
            long bytes = receivedBytes(pages) - bytesBefore;

            List<Double> sorted = new ArrayList<>(joinToFirstFrame);
            Collections.sort(sorted);
            ObjectMapper json = new ObjectMapper();
            ObjectNode out = json.createObjectNode();
            out.put("measuredAt", Instant.now().toString());
            out.put("command", "mvn -pl multi-jvm-tests test -Dtest=CallFiguresMeasurement -Dsurefire.failIfNoSpecifiedTests=false");
            out.put("jdk", System.getProperty("java.version"));
            out.putPOJO("joinToFirstDecodedFrameMillis", joinToFirstFrame);
            out.put("joinToFirstDecodedFrameMedianMillis", sorted.get(sorted.size() / 2));
            out.put("cpuParticipants", 3);
            out.put("cpuWindowSeconds", wall.toMillis() / 1000.0);
            out.put("nodeCpuSeconds", cpu.toMillis() / 1000.0);
            out.put("nodeCpuPercentOfOneCore", 100.0 * cpu.toMillis() / wall.toMillis());
            out.put("forwardedMbitPerSecond", bytes * 8.0 / wall.toMillis() / 1000.0);
            Path file = Path.of(System.getProperty("sfu.node.jar")).getParent().getParent().getParent()
                    .resolve("docs/benchmarks/single-node-call.json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
            System.out.println(String.format(Locale.ROOT, "figures: %s", out));
        }
    }

    private static double firstFrameAfterJoin(BrowserPage joiner) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode sample = joiner.eval("(async () => ({now: performance.now(), joinedAt: window.sfu.joinedAt,"
                    + " stats: await window.sfu.inboundStats()}))()");
            if (!sample.path("joinedAt").isNull()) {
                for (JsonNode s : sample.path("stats")) {
                    if (s.path("kind").asText().equals("video") && s.path("framesDecoded").asLong() > 0) {
                        return sample.path("now").asDouble() - sample.path("joinedAt").asDouble();
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no frame decoded within 20 s of joining");
    }

    private static long receivedBytes(List<BrowserPage> pages) throws Exception {
        long total = 0;
        for (BrowserPage page : pages) {
            total += page.eval("(async () => (await window.sfu.inboundStats()).reduce((a, s) => a + s.bytesReceived, 0))()")
                    .asLong();
        }
        return total;
    }
}
