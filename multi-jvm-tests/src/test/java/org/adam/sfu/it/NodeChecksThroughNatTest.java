package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * A node at home behind a masquerading router that forwards only its HTTP port, with no relay
 * and no UDP forwarded: it learns its public address by STUN (`--public-ip auto`) and announces
 * it, but the router lets in only what answers something the node sent. The node checks the
 * candidates its clients name, as the controlled ICE agent, and that opens the router for the
 * clients' own checks: two browsers on the public segment decode each other through it.
 */
class NodeChecksThroughNatTest {

    private static final int HTTP_PORT = 19350;
    private static final int MEDIA_PORT = 42350;
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void clientsReachANodeBehindNatWithNoPortForwardedBecauseTheNodeChecksTheirCandidates() throws Exception {
        try (NatLab lab = NatLab.create()) {
            CoturnProcess stun = lab.startTurnWithUser("unused", "unused-password");
            NatRouter home = lab.router(NatType.ENDPOINT_INDEPENDENT);
            LabHost nodeHost = home.client("node");
            home.forwardTcp(HTTP_PORT, nodeHost.address());
            home.routeFromTestJvm();
            String origin = "http://" + home.outsideAddress() + ":" + HTTP_PORT;
            try (NodeProcess node = NodeProcess.startOn(nodeHost, "home", HTTP_PORT, MEDIA_PORT, "--auth", "open",
                    "--public-ip", "auto", "--stun-server", stun.hosts().get(0) + ":" + NatLab.TURN_PORT,
                    "--media-tcp-port", "off", "--allowed-origins", origin)) {
                assertThat(node.logged("announced as " + home.outsideAddress() + ")"))
                        .as("the node announces its router's address:\n" + String.join("\n", node.output())).isTrue();
                List<LabHost> hosts = List.of(lab.publicHost("a"), lab.publicHost("b"));
                try (BrowserDriver a = hosts.get(0).browser(List.of(origin));
                     BrowserDriver b = hosts.get(1).browser(List.of(origin))) {
                    BrowserPage pageA = a.open("home-a", origin + roomPath("a"));
                    BrowserPage pageB = b.open("home-b", origin + roomPath("b"));
                    pageA.awaitState("joined", Duration.ofSeconds(20));
                    pageB.awaitState("joined", Duration.ofSeconds(20));
                    double seconds = BrowserPage.awaitEachDecodesTheOther(pageA, pageB, MEDIA_TIMEOUT);
                    for (BrowserPage page : List.of(pageA, pageB)) {
                        JsonNode paths = page.eval("window.sfu.connectionPath()");
                        for (String pc : List.of("publish", "subscribe")) {
                            JsonNode path = paths.path(pc);
                            // The router gives the node's flow to a client another port when that client's
                            // checks got there first: the browser sees a peer-reflexive candidate (its
                            // address hidden from the page), and checks it back.
                            assertThat(path.path("remoteCandidateType").asText()).as(page.name() + " " + pc + " " + path)
                                    .isIn("host", "prflx");
                            if (!path.path("remoteAddress").isNull()) {
                                assertThat(path.path("remoteAddress").asText()).isEqualTo(home.outsideAddress());
                            }
                            assertThat(path.path("protocol").asText()).as("UDP through the router").isEqualTo("udp");
                        }
                    }
                    System.out.printf("node behind NAT, no relay: both pages decoded each other %.1f s after both joined;"
                            + " path %s%n", seconds, pageA.eval("window.sfu.connectionPath()").path("publish"));
                    pageA.close();
                    pageB.close();
                }
            }
        }
    }

    private static String roomPath(String name) {
        return "/?neighbourhood=neighbourhood%3A%2F%2Fnatlab&room=home&name=" + name + "&autojoin=1&capture=640x360";
    }
}
