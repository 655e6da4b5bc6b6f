package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Draining a node (issue: cascaded mode, test 6): its participants move to another node make
 * before break (a watcher decodes the mover's new video before the old one stops), and the node
 * ends empty and out of the cluster.
 */
class DrainTest {

    /** Longest time without a new decoded frame from participants named {@code name}, sampled in the page. */
    private static final String GAP_SAMPLER = """
            (() => {
              const name = '%s';
              const lastFrames = new Map();
              window.__gap = { max: 0, last: Date.now(), seen: false, at: 0, tracks: {}, pauses: [] };
              setInterval(async () => {
                const people = window.sfu.participants;
                const stats = await window.sfu.inboundStats();
                const now = Date.now();
                for (const s of stats) {
                  const who = people[s.participantId];
                  if (s.kind !== 'video' || !who || who.name !== name) continue;
                  const before = lastFrames.get(s.trackIdentifier) || 0;
                  if (s.framesDecoded > before) {
                    const t = window.__gap.tracks[s.trackIdentifier] || (window.__gap.tracks[s.trackIdentifier] = { first: now });
                    t.last = now;
                    if (window.__gap.seen && now - window.__gap.last > window.__gap.max) {
                      window.__gap.max = now - window.__gap.last;
                      window.__gap.at = now;
                    }
                    if (window.__gap.seen && now - window.__gap.last > 250 && window.__gap.pauses.length < 100) {
                      window.__gap.pauses.push({ from: window.__gap.last, to: now });
                    }
                    window.__gap.last = now;
                    window.__gap.seen = true;
                  }
                  lastFrames.set(s.trackIdentifier, s.framesDecoded);
                }
              }, 50);
              return true;
            })()""";

    /**
     * The room page at 640x360: three pages encode (the mover twice while it moves) and decode on
     * the same two cores as the three nodes; at 1280x720 the watchers' decoders starve for a second
     * or more while packets keep arriving, which is this machine's CPU, not the drain.
     */
    private static String pageUrl(NodeProcess node, String room, String name) {
        return SingleNodeCallTest.roomUrl(node, room, name) + "&capture=640x360";
    }

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

    private static long firstDecodeOfNewest(JsonNode gap) {
        long newest = 0;
        for (JsonNode track : gap.path("tracks")) {
            newest = Math.max(newest, track.path("first").asLong());
        }
        return newest;
    }

    private static long lastDecodeOfOldest(JsonNode gap) {
        long oldestFirst = Long.MAX_VALUE;
        long itsLast = 0;
        for (JsonNode track : gap.path("tracks")) {
            if (track.path("first").asLong() < oldestFirst) {
                oldestFirst = track.path("first").asLong();
                itsLast = track.path("last").asLong();
            }
        }
        return itsLast;
    }

    /** Waits until the page's sampler has seen carol's video decode at least once. */
    private static void awaitSampling(BrowserPage watcher) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!watcher.eval("window.__gap.seen").asBoolean()) {
            assertThat(System.nanoTime()).as("%s sampled carol's video", watcher.name()).isLessThan(deadline);
            Thread.sleep(50); // poll interval inside a bounded wait
        }
    }

    /** The page's record of its move, once it has one that says when it left the old node. */
    private static JsonNode awaitMove(BrowserPage mover) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonNode move = mover.eval("window.sfu.moves[0] || null");
            if (move != null && move.path("leftAt").asLong() > 0 || System.nanoTime() > deadline) {
                return move;
            }
            Thread.sleep(100); // poll interval inside a bounded wait
        }
    }

    @Test
    void drainedNodeEndsEmptyAndOutOfTheClusterAndItsParticipantsMoveMakeBeforeBreak() throws Exception {
        String room = "drain";
        BrowserPage alice = browser.open("drain-alice", pageUrl(cluster.node(0), room, "alice"));
        BrowserPage bob = browser.open("drain-bob", pageUrl(cluster.node(1), room, "bob"));
        BrowserPage carol = browser.open("drain-carol", pageUrl(cluster.node(2), room, "carol"));
        for (BrowserPage page : List.of(alice, bob, carol)) {
            page.awaitState("joined", Duration.ofSeconds(20));
        }
        String carolId = carol.participantId();
        for (BrowserPage watcher : List.of(alice, bob)) {
            watcher.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(carolId), 30), Duration.ofSeconds(45));
            watcher.eval(GAP_SAMPLER.formatted("carol"));
        }
        for (BrowserPage watcher : List.of(alice, bob)) {
            awaitSampling(watcher);
        }

        long drainAt = alice.eval("Date.now()").asLong(); // the pages' clock, which the samples use
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
        JsonNode move = awaitMove(carol);
        System.out.println("carol's move: " + move);
        assertThat(move.path("leftAt").asLong()).as("left the old node after publishing through the new one")
                .isGreaterThanOrEqualTo(move.path("publishingAt").asLong());
        for (BrowserPage watcher : List.of(alice, bob)) {
            JsonNode gap = watcher.eval("window.__gap");
            System.out.printf("%s saw carol's video pause at most %.0f ms during the drain (%s)%n",
                    watcher.name(), gap.path("max").asDouble(), gap);
            // Make before break is the assertion after this one. Here, a bound on any stall of
            // carol's video from the drain request until a second after her old video stopped.
            // Measured on two cores shared by three nodes and three pages: pauses of 0.3-0.8 s
            // throughout, and once 2.7 s just as the old video stopped and the drained node left
            // the cluster (a rolling restart without a pause over 1 s is issue 15's to reach).
            long moveEnd = lastDecodeOfOldest(gap) + 1000;
            for (JsonNode pause : gap.path("pauses")) {
                if (pause.path("to").asLong() >= drainAt && pause.path("from").asLong() <= moveEnd) {
                    assertThat(pause.path("to").asLong() - pause.path("from").asLong())
                            .as("%s: carol's video stalled during her move (%s)", watcher.name(), pause)
                            .isLessThanOrEqualTo(3000);
                }
            }
            assertThat(firstDecodeOfNewest(gap)).as("%s decoded carol's new video no later than her old video stopped (the same 50 ms sample counts)", watcher.name())
                    .isLessThanOrEqualTo(lastDecodeOfOldest(gap));
        }
    }
}
