package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * A node that nobody reaches directly (issue 13, test 2): clients on the public segment whose
 * firewall lets UDP through only to the TURN server, and no TCP to the node's media port, so the
 * node's host candidates are out of reach; the node allocates a relayed address on that TURN
 * server (`--relay-server`), offers it as a relay candidate, lets the clients' candidates in, and
 * the clients decode each other through it. The clients get no TURN server of their own: the only
 * path is the node's relay.
 */
class NodeBehindNatTest {

    private static final int HTTP_PORT = 19330;
    private static final int MEDIA_PORT = 42330;
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void clientsThatReachOnlyTheTurnServerDecodeEachOtherThroughTheNodesRelay() throws Exception {
        try (NatLab lab = NatLab.create()) {
            CoturnProcess turn = lab.startTurnWithUser("sfu-node", "relay-password");
            String turnHost = turn.hosts().get(0);
            try (NodeProcess node = NodeProcess.start("relayed", HTTP_PORT, MEDIA_PORT,
                    "--http-host", lab.nodeAddress(), "--media-host", lab.nodeAddress(), "--auth", "open",
                    "--relay-server", turnHost + ":" + NatLab.TURN_PORT, "--relay-user", "sfu-node",
                    "--relay-password", "relay-password")) {
                awaitLogged(node, "relay: allocated " + turnHost + ":", Duration.ofSeconds(20));
                List<LabHost> hosts = List.of(lab.publicHost("a"), lab.publicHost("b"));
                for (LabHost host : hosts) {
                    host.allowUdpOnlyTo(turnHost);
                    host.blockTcpTo(lab.nodeAddress(), MEDIA_PORT);
                }
                List<String> origins = List.of(lab.nodeOrigin(HTTP_PORT));
                try (BrowserDriver a = hosts.get(0).browser(origins); BrowserDriver b = hosts.get(1).browser(origins)) {
                    BrowserPage pageA = a.open("relay-a", roomUrl(node, "a"));
                    BrowserPage pageB = b.open("relay-b", roomUrl(node, "b"));
                    pageA.awaitState("joined", Duration.ofSeconds(20));
                    pageB.awaitState("joined", Duration.ofSeconds(20));
                    Map<BrowserPage, BrowserPage> other = Map.of(pageA, pageB, pageB, pageA);
                    long started = System.nanoTime();
                    for (BrowserPage page : List.of(pageA, pageB)) {
                        String otherId = other.get(page).participantId();
                        List<BrowserPage.Inbound> stats = page.awaitInbound(
                                s -> SingleNodeCallTest.receivesFromAll(s, List.of(otherId), 30), MEDIA_TIMEOUT);
                        assertThat(BrowserPage.videoWidth(stats)).as(page.name() + " decodes video").isPositive();
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    for (BrowserPage page : List.of(pageA, pageB)) {
                        JsonNode paths = page.eval("window.sfu.connectionPath()");
                        for (String pc : List.of("publish", "subscribe")) {
                            JsonNode path = paths.path(pc);
                            assertThat(path.path("remoteCandidateType").asText()).as(page.name() + " " + pc + " " + path)
                                    .isEqualTo("relay");
                            assertThat(path.path("remoteAddress").asText()).as("the TURN server").isEqualTo(turnHost);
                        }
                    }
                    for (LabHost host : hosts) {
                        assertThat(host.udpDroppedOut()).as("direct UDP to the node was tried and dropped").isPositive();
                    }
                    node.awaitMetric("sfu_transports_connected{node=\"relayed\",transport=\"relay\"}", 4);
                    assertThat(node.metric("sfu_relay_datagrams_sent_total{node=\"relayed\"}")).isPositive();
                    System.out.printf("node relay: both pages decoded each other %.1f s after both joined; path %s%n",
                            seconds, pageA.eval("window.sfu.connectionPath()").path("subscribe").path("label").asText());
                    pageA.close();
                    pageB.close();
                }
            }
        }
    }

    private static void awaitLogged(NodeProcess node, String fragment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!node.logged(fragment) && System.nanoTime() < deadline) {
            Thread.sleep(100); // poll interval of a deadline-bounded wait
        }
        assertThat(node.logged(fragment)).as("the node logged '" + fragment + "':\n" + String.join("\n", node.output()))
                .isTrue();
    }

    private static String roomUrl(NodeProcess node, String name) {
        return node.url("/?neighbourhood=neighbourhood%3A%2F%2Fnatlab&room=relay&name=" + name
                + "&autojoin=1&capture=640x360");
    }
}
