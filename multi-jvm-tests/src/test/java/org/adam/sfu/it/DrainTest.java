package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Draining a node (issue: cascaded mode, test 6): its participants move to another node without
 * a video gap over 2 s for anyone watching them, and the node ends empty and out of the cluster.
 */
class DrainTest {

    /** Longest time without a new decoded frame from participants named {@code name}, sampled in the page. */
    private static final String GAP_SAMPLER = """
            (() => {
              const name = '%s';
              const lastFrames = new Map();
              window.__gap = { max: 0, last: performance.now(), seen: false };
              setInterval(async () => {
                const people = window.sfu.participants;
                const now = performance.now();
                for (const s of await window.sfu.inboundStats()) {
                  const who = people[s.participantId];
                  if (s.kind !== 'video' || !who || who.name !== name) continue;
                  const before = lastFrames.get(s.trackIdentifier) || 0;
                  if (s.framesDecoded > before) {
                    if (window.__gap.seen) window.__gap.max = Math.max(window.__gap.max, now - window.__gap.last);
                    window.__gap.last = now;
                    window.__gap.seen = true;
                  }
                  lastFrames.set(s.trackIdentifier, s.framesDecoded);
                }
              }, 50);
              return true;
            })()""";

    private static TestRig rig;
    private static NodeCluster cluster;
    private static BrowserDriver browser;

    @BeforeAll
    static void start() throws Exception {
        rig = TestRig.cluster(18500, List.of("a", "b", "c"), NodeCluster.TOLERANT_FAILURE_DETECTOR);
        cluster = rig.cluster();
        browser = rig.browser();
    }

    @AfterAll
    static void stop() throws Exception {
        TestRig.close(rig);
    }

    @Test
    void drainedNodeEndsEmptyAndOutOfTheClusterWithoutAVideoGap() throws Exception {
        String room = "drain";
        BrowserPage alice = browser.open("drain-alice", SingleNodeCallTest.roomUrl(cluster.node(0), room, "alice"));
        BrowserPage bob = browser.open("drain-bob", SingleNodeCallTest.roomUrl(cluster.node(1), room, "bob"));
        BrowserPage carol = browser.open("drain-carol", SingleNodeCallTest.roomUrl(cluster.node(2), room, "carol"));
        for (BrowserPage page : List.of(alice, bob, carol)) {
            page.awaitState("joined", Duration.ofSeconds(20));
        }
        String carolId = carol.participantId();
        for (BrowserPage watcher : List.of(alice, bob)) {
            watcher.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(carolId), 30), Duration.ofSeconds(45));
            watcher.eval(GAP_SAMPLER.formatted("carol"));
        }
        Thread.sleep(2000);

        HttpResponse<String> drain = NodeCluster.post(cluster.node(0), "/admin/nodes/c/drain");
        assertThat(drain.statusCode()).isEqualTo(202);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (carol.eval("window.sfu.signalUrl").asText().equals(cluster.node(2).signalUrl())
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        carol.awaitState("joined", Duration.ofSeconds(20));
        String movedId = carol.participantId();
        assertThat(movedId).isNotEqualTo(carolId);
        for (BrowserPage watcher : List.of(alice, bob)) {
            watcher.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(movedId), 30), Duration.ofSeconds(45));
        }

        assertThat(cluster.node(2).awaitExit(Duration.ofSeconds(45))).as("drained node exits").isTrue();
        cluster.awaitMembersUp(2, Duration.ofSeconds(30));
        Thread.sleep(1000);
        for (BrowserPage watcher : List.of(alice, bob)) {
            double gap = watcher.eval("window.__gap.max").asDouble();
            System.out.printf("%s saw carol's video pause at most %.0f ms during the drain%n", watcher.name(), gap);
            assertThat(gap).isLessThan(2000.0);
        }
    }
}
