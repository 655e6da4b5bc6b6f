package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

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
                node.awaitLogged(Duration.ofSeconds(20), "relay: allocated " + turnHost + ":");
                callThroughTheRelay(lab, node, lab.nodeAddress(), turnHost, "udp");
            }
        }
    }

    /**
     * The same behind a firewall that lets no UDP out of the node at all: the node reaches its
     * TURN server over TCP (`--relay-transport tcp`), and the relayed address is still UDP.
     */
    @Test
    void aNodeWithoutUdpKeepsItsRelayOverTcpToTheTurnServer() throws Exception {
        try (NatLab lab = NatLab.create()) {
            CoturnProcess turn = lab.startTurnWithUser("sfu-node", "relay-password");
            String turnHost = turn.hosts().get(0);
            LabHost nodeHost = lab.publicHost("node");
            nodeHost.blockUdp();
            try (NodeProcess node = NodeProcess.startOn(nodeHost, "relayed-tcp", HTTP_PORT, MEDIA_PORT,
                    "--auth", "open", "--media-tcp-port", "off", "--relay-transport", "tcp",
                    "--relay-server", turnHost + ":" + NatLab.TURN_PORT, "--relay-user", "sfu-node",
                    "--relay-password", "relay-password")) {
                node.awaitLogged(Duration.ofSeconds(20), "relay: allocated " + turnHost + ":");
                callThroughTheRelay(lab, node, nodeHost.address(), turnHost, "tcp");
            }
        }
    }

    /**
     * Two clients on the public segment whose firewall lets UDP through only to the TURN server,
     * and no TCP to the node's media port: they decode each other through the node's relay, and only through it.
     */
    private static void callThroughTheRelay(NatLab lab, NodeProcess node, String nodeAddress, String turnHost,
                                            String relayTransport) throws Exception {
        List<LabHost> hosts = List.of(lab.publicHost("a"), lab.publicHost("b"));
        for (LabHost host : hosts) {
            host.allowUdpOnlyTo(turnHost);
            host.blockTcpTo(nodeAddress, MEDIA_PORT);
        }
        List<String> origins = List.of("http://" + nodeAddress + ":" + HTTP_PORT);
        try (BrowserDriver a = hosts.get(0).browser(origins); BrowserDriver b = hosts.get(1).browser(origins)) {
            BrowserPage pageA = a.open("relay-a", roomUrl(node, "a"));
            BrowserPage pageB = b.open("relay-b", roomUrl(node, "b"));
            pageA.awaitState("joined", Duration.ofSeconds(20));
            pageB.awaitState("joined", Duration.ofSeconds(20));
            double seconds = BrowserPage.awaitEachDecodesTheOther(pageA, pageB, MEDIA_TIMEOUT);
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
            String id = node.nodeId();
            node.awaitMetric("sfu_transports_connected{node=\"" + id + "\",transport=\"relay\"}", 4);
            assertThat(node.metric("sfu_relay_datagrams_sent_total{node=\"" + id + "\"}")).isPositive();
            System.out.printf("node relay over %s: both pages decoded each other %.1f s after both joined; path %s%n",
                    relayTransport, seconds,
                    pageA.eval("window.sfu.connectionPath()").path("subscribe").path("label").asText());
            pageA.close();
            pageB.close();
        }
    }

    private static String roomUrl(NodeProcess node, String name) {
        return node.url("/?neighbourhood=neighbourhood%3A%2F%2Fnatlab&room=relay&name=" + name
                + "&autojoin=1&capture=640x360");
    }
}
