package org.adam.sfu.it.bench;

import org.adam.sfu.it.BrowserDriver;
import org.adam.sfu.it.BrowserPage;
import org.adam.sfu.it.NodeCluster;
import org.adam.sfu.it.SingleNodeCallTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Latency one pipe hop adds, not a pass/fail test: one publisher on node a, one receiver on a
 * and one on b, in the same browser. Both receivers report, per video RTP timestamp (which the
 * node forwards unchanged), when the frame reached them (getSynchronizationSources); the
 * difference between the two is what the a->b pipe added.
 * Run with: mvn -pl multi-jvm-tests test -Dtest=PipeHopLatencyMeasurement -Dsurefire.failIfNoSpecifiedTests=false
 * Writes docs/benchmarks/pipe-hop-latency.json.
 */
class PipeHopLatencyMeasurement {

    private static final String SAMPLE = """
            (async () => {
              const pc = window.sfu.subscribePc;
              const out = [];
              for (const r of pc.getReceivers()) {
                if (r.track.kind !== 'video') continue;
                for (const s of r.getSynchronizationSources()) {
                  // Chromium reports an epoch time; a page-relative one is moved onto the epoch.
                  const t = s.timestamp > 1e12 ? s.timestamp : performance.timeOrigin + s.timestamp;
                  out.push([s.rtpTimestamp, t]);
                }
              }
              return out;
            })()""";

    @Test
    void measure() throws Exception {
        try (NodeCluster cluster = NodeCluster.start(18700, List.of("a", "b"));
             BrowserDriver browser = BrowserDriver.start()) {
            String room = "hop";
            BrowserPage publisher = browser.open("hop-pub", SingleNodeCallTest.roomUrl(cluster.node(0), room, "pub"));
            publisher.awaitState("joined", Duration.ofSeconds(20));
            String publisherId = publisher.participantId();
            BrowserPage local = browser.open("hop-local",
                    SingleNodeCallTest.roomUrl(cluster.node(0), room, "local") + "&publish=0");
            BrowserPage remote = browser.open("hop-remote",
                    SingleNodeCallTest.roomUrl(cluster.node(1), room, "remote") + "&publish=0");
            for (BrowserPage page : List.of(local, remote)) {
                page.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(publisherId), 60),
                        Duration.ofSeconds(45));
            }
            Map<Long, Double> atLocal = new HashMap<>();
            Map<Long, Double> atRemote = new HashMap<>();
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < end) {
                collect(local.eval(SAMPLE), atLocal);
                collect(remote.eval(SAMPLE), atRemote);
                Thread.sleep(5);
            }
            List<Double> deltas = new ArrayList<>();
            atLocal.forEach((rtp, t) -> {
                Double other = atRemote.get(rtp);
                if (other != null) {
                    deltas.add(other - t);
                }
            });
            Collections.sort(deltas);
            double median = deltas.get(deltas.size() / 2);
            double p90 = deltas.get((int) (deltas.size() * 0.9));
            ObjectMapper json = new ObjectMapper();
            ObjectNode out = json.createObjectNode();
            out.put("measuredAt", Instant.now().toString());
            out.put("command", "mvn -pl multi-jvm-tests test -Dtest=PipeHopLatencyMeasurement -Dsurefire.failIfNoSpecifiedTests=false");
            out.put("framesMatched", deltas.size());
            out.put("addedByPipeHopMedianMillis", median);
            out.put("addedByPipeHopP90Millis", p90);
            Path file = Path.of(System.getProperty("sfu.node.jar")).getParent().getParent().getParent()
                    .resolve("docs/benchmarks/pipe-hop-latency.json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
            System.out.println("pipe hop: " + out);
        }
    }

    private static void collect(JsonNode samples, Map<Long, Double> into) {
        for (JsonNode sample : samples) {
            into.putIfAbsent(sample.get(0).asLong(), sample.get(1).asDouble());
        }
    }
}
