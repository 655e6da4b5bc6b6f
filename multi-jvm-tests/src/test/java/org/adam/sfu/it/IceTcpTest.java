package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * A client whose UDP is blocked entirely (issue 13, test 3): a browser in a network namespace
 * whose firewall drops every UDP datagram joins a call with a browser on an open network. The
 * blocked one reaches the node over its passive ICE-TCP candidate (RFC 6544); both decode each
 * other's video, and the blocked one's selected pairs, on both its connections, are TCP.
 */
class IceTcpTest {

    private static final int HTTP_PORT = 19330;
    private static final int MEDIA_PORT = 42330;
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(45);

    /** The selected candidate pair of each of the page's two connections, from getStats. */
    private static final String SELECTED_PAIRS = """
            (async () => {
              const out = {};
              for (const name of ['publishPc', 'subscribePc']) {
                const report = await window.sfu[name].getStats();
                let pair = null;
                report.forEach((s) => {
                  if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId);
                });
                const local = pair && report.get(pair.localCandidateId);
                const remote = pair && report.get(pair.remoteCandidateId);
                out[name] = {
                  state: pair ? pair.state : null, nominated: pair ? pair.nominated === true : false,
                  localProtocol: local ? local.protocol : null, remoteProtocol: remote ? remote.protocol : null,
                  remoteTcpType: remote ? remote.tcpType || null : null, remotePort: remote ? remote.port : 0,
                };
              }
              return out;
            })()""";

    @Test
    void aBrowserWithoutUdpCallsOverIceTcp() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            lab.blockUdp();
            List<String> origins = List.of("http://" + lab.nodeAddress() + ":" + HTTP_PORT);
            // No --media-tcp-port: the node listens for ICE-TCP on the media port's number.
            try (NodeProcess node = NodeProcess.start("icetcp", HTTP_PORT, MEDIA_PORT,
                    "--http-host", lab.nodeAddress(), "--media-host", lab.nodeAddress(), "--auth", "open");
                 BrowserDriver open = BrowserDriver.start(List.of(), origins);
                 BrowserDriver blocked = lab.browser(origins)) {
                BrowserPage alice = open.open("icetcp-alice", SingleNodeCallTest.roomUrl(node, "icetcp", "alice"));
                alice.awaitState("joined", Duration.ofSeconds(20));
                String aliceId = alice.participantId();
                BrowserPage bob = blocked.open("icetcp-bob", SingleNodeCallTest.roomUrl(node, "icetcp", "bob"));
                bob.awaitState("joined", Duration.ofSeconds(20));
                String bobId = bob.participantId();

                Map<String, Double> firstFrame = bob.firstVideoFrameMillisSinceJoin(List.of(aliceId), MEDIA_TIMEOUT);
                System.out.printf("ice-tcp: the UDP-blocked browser decoded its first frame %.0f ms after joining%n",
                        firstFrame.getOrDefault(aliceId, Double.NaN));
                assertThat(firstFrame).containsKey(aliceId);

                bob.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(aliceId), 60), MEDIA_TIMEOUT);
                alice.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(bobId), 60), MEDIA_TIMEOUT);
                System.out.printf("ice-tcp: blocked browser decodes %d px from the open one, the open one %d px from it%n",
                        BrowserPage.videoWidth(bob.inbound()), BrowserPage.videoWidth(alice.inbound()));

                JsonNode bobPairs = bob.eval(SELECTED_PAIRS);
                JsonNode alicePairs = alice.eval(SELECTED_PAIRS);
                System.out.println("ice-tcp: selected pairs, blocked browser " + bobPairs + ", open browser " + alicePairs);
                for (String connection : List.of("publishPc", "subscribePc")) {
                    JsonNode pair = bobPairs.path(connection);
                    assertThat(pair.path("state").asText()).as(connection).isEqualTo("succeeded");
                    assertThat(pair.path("nominated").asBoolean()).as(connection).isTrue();
                    assertThat(pair.path("localProtocol").asText()).as(connection).isEqualTo("tcp");
                    assertThat(pair.path("remoteProtocol").asText()).as(connection).isEqualTo("tcp");
                    assertThat(pair.path("remoteTcpType").asText()).as(connection).isEqualTo("passive");
                    assertThat(pair.path("remotePort").asInt()).as(connection).isEqualTo(MEDIA_PORT);
                    assertThat(alicePairs.path(connection).path("localProtocol").asText()).as(connection)
                            .isEqualTo("udp");
                }
                assertThat(lab.udpDropped()).as("UDP the blocked browser tried").isPositive();
                node.awaitMetric("sfu_transports_connected{node=\"icetcp\",transport=\"tcp\"}", 2);
                node.awaitMetric("sfu_transports_connected{node=\"icetcp\",transport=\"udp\"}", 2);
            }
        }
    }
}
