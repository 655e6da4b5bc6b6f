package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A join to a node at capacity gets `node-full` with a redirect, and the web client follows it. */
class RedirectTest {

    private static TestRig rig;
    private static NodeCluster cluster;
    private static BrowserDriver browser;

    @BeforeAll
    static void start() throws Exception {
        rig = TestRig.cluster(18800, List.of("a", "b"), "--max-participants-per-node", "1");
        cluster = rig.cluster();
        browser = rig.browser();
    }

    @AfterAll
    static void stop() throws Exception {
        TestRig.close(rig);
    }

    @Test
    void aFullNodeRedirectsToTheLeastLoadedNode() throws Exception {
        NodeProcess a = cluster.node(0);
        NodeProcess b = cluster.node(1);
        BrowserPage first = browser.open("first", SingleNodeCallTest.roomUrl(a, "full", "first"));
        first.awaitState("joined", Duration.ofSeconds(20));
        // Announces carry the new load within an interval.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode nodes = NodeCluster.get(b, "/admin/nodes");
            boolean seen = false;
            for (JsonNode n : nodes.path("nodes")) {
                seen |= n.path("node").asText().equals("a") && n.path("participant_count").asInt() == 1;
            }
            if (seen) {
                break;
            }
            Thread.sleep(200);
        }

        try (SignalClient client = SignalClient.connect(a.signalUrl())) {
            client.next("hello");
            client.send("{\"type\":\"join\",\"id\":\"j\",\"neighbourhood\":\"neighbourhood://test\",\"room\":\"full\","
                    + "\"did\":\"did:key:z6MkX\"}");
            JsonNode refusal = client.next("error");
            assertThat(refusal.path("code").asText()).isEqualTo("node-full");
            assertThat(refusal.path("id").asText()).isEqualTo("j");
            assertThat(refusal.path("redirect").asText()).isEqualTo(b.signalUrl());
        }

        BrowserPage second = browser.open("second", SingleNodeCallTest.roomUrl(a, "full", "second"));
        second.awaitState("joined", Duration.ofSeconds(20));
        assertThat(second.eval("window.sfu.signalUrl").asText()).isEqualTo(b.signalUrl());
        String firstId = first.participantId();
        second.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(firstId), 30), Duration.ofSeconds(45));
    }
}
