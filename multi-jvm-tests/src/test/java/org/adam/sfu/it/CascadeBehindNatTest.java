package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A cascade of two nodes that see each other only through NAT (issue 13, test 6): node a runs at
 * home with a member's browser, behind a router that masquerades and forwards only the node's
 * cluster port (TCP); node b runs on a server on the public segment with another member's
 * browser beside it. Node b cannot reach a's host candidates; a's pipe socket asks the lab's STUN
 * server for its server-reflexive address, both nodes check each other's candidates (and check
 * back where the other's checks come from), and the pipe comes up through a's router. Each browser
 * decodes the other's video, which can only have crossed that pipe.
 *
 * <p>Two nodes each behind a Linux masquerade with no relay between them would not connect: the
 * first check to reach either router before that router's own node has sent anything leaves a
 * conntrack entry that makes the router give its node's flow another port, so neither side's
 * checks get in (docs/operations.md).
 */
class CascadeBehindNatTest {

    private static final int HTTP_PORT = 19340;
    private static final int MEDIA_PORT = 42340;
    private static final int CLUSTER_PORT_A = 25540;
    private static final int CLUSTER_PORT_B = 25541;
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aPipeToANodeBehindNatComesUpThroughItsServerReflexiveCandidate() throws Exception {
        try (NatLab lab = NatLab.create()) {
            CoturnProcess stun = lab.startTurnWithUser("unused", "unused-password");
            String stunServer = stun.hosts().get(0) + ":" + NatLab.TURN_PORT;
            NatRouter home = lab.router(NatType.ENDPOINT_INDEPENDENT);
            LabHost nodeHostA = home.client("node-a");
            LabHost browserHostA = home.client("member-a");
            LabHost nodeHostB = lab.publicHost("node-b");
            LabHost browserHostB = lab.publicHost("member-b");
            home.forwardTcp(CLUSTER_PORT_A, nodeHostA.address());
            home.routeFromTestJvm();
            String seed = home.outsideAddress() + ":" + CLUSTER_PORT_A;
            try (NodeProcess a = NodeProcess.startOn(nodeHostA, "a", HTTP_PORT, MEDIA_PORT, "--auth", "open",
                    "--cluster-port", Integer.toString(CLUSTER_PORT_A), "--cluster-host", home.outsideAddress(),
                    "--seeds", seed, "--stun-server", stunServer);
                 NodeProcess b = NodeProcess.startOn(nodeHostB, "b", HTTP_PORT, MEDIA_PORT, "--auth", "open",
                         "--cluster-port", Integer.toString(CLUSTER_PORT_B), "--seeds", seed,
                         "--stun-server", stunServer)) {
                a.awaitLogged(Duration.ofSeconds(30), "to [Up]", nodeHostB.address() + ":" + CLUSTER_PORT_B);
                try (BrowserDriver browserA = browserHostA.browser(List.of(origin(a)));
                     BrowserDriver browserB = browserHostB.browser(List.of(origin(b)))) {
                    BrowserPage pageA = browserA.open("home-a", roomUrl(a, "a"));
                    BrowserPage pageB = browserB.open("home-b", roomUrl(b, "b"));
                    pageA.awaitState("joined", Duration.ofSeconds(20));
                    pageB.awaitState("joined", Duration.ofSeconds(20));
                    double seconds = BrowserPage.awaitEachDecodesTheOther(pageA, pageB, MEDIA_TIMEOUT);
                    String reflexive = a.output().stream().filter(line -> line.contains("server-reflexive address /"))
                            .map(line -> line.substring(line.indexOf("server-reflexive address /") + 26).trim())
                            .findFirst().orElseThrow(() -> new AssertionError("node a learnt no public address"));
                    assertThat(reflexive).as("node a's pipe socket, seen by the STUN server").startsWith(
                            home.outsideAddress() + ":");
                    assertThat(b.logged("nominated the pair to /" + reflexive))
                            .as("node b, the offerer, nominated the pair to a's server-reflexive candidate").isTrue();
                    for (NodeProcess node : List.of(a, b)) {
                        NodeProcess other = node == a ? b : a;
                        assertThat(node.logged("pipe to node " + other.nodeId() + " connected"))
                                .as("node %s's end of the pipe is up", node.nodeId()).isTrue();
                        assertThat(node.metric("sfu_pipe_bytes_in_total{node=\"" + node.nodeId() + "\"}"))
                                .as("media came to %s over the pipe", node.nodeId()).isPositive();
                    }
                    System.out.printf("cascade behind NAT: both pages decoded each other %.1f s after both joined%n",
                            seconds);
                    pageA.close();
                    pageB.close();
                }
            }
        }
    }

    private static String origin(NodeProcess node) {
        return node.url("").replaceAll("/$", "");
    }

    private static String roomUrl(NodeProcess node, String name) {
        return node.url("/?neighbourhood=neighbourhood%3A%2F%2Fnatlab&room=homes&name=" + name
                + "&autojoin=1&capture=640x360");
    }
}
