package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The neighbourhood bridge (issue: neighbourhood integration): an executor's view of one node.
 * The node's sfu-announce reaches the bridged neighbourhood, an agent joins a call through the
 * bridge with the /signal protocol, the executor sets the members, and sfu-leave goes out when
 * the node stops.
 */
class BridgeTest {

    private static final String NEIGHBOURHOOD = "neighbourhood://bridged";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static void send(SignalClient bridge, Object message) throws Exception {
        bridge.send(JSON.writeValueAsString(message));
    }

    private static JsonNode nextOfType(SignalClient bridge, String type, String messageType) throws Exception {
        while (true) {
            JsonNode frame = bridge.next();
            if (frame.path("type").asText().equals(type)
                    && (messageType == null || frame.path("message").path("type").asText().equals(messageType))) {
                return frame;
            }
        }
    }

    @Test
    void announcesCarriesAgentSignallingAndSaysLeave() throws Exception {
        TestAgent agent = TestAgent.create();
        try (NodeProcess node = NodeProcess.start("bridged", 19170, 42170, "--admin-token", "executor-secret")) {
            // Nothing is relayed before the executor proves itself: such a bridge is closed.
            try (SignalClient early = SignalClient.connect("ws://127.0.0.1:19170/bridge")) {
                send(early, Map.of("type", "agent-signal", "session", "early", "message", Map.of("type", "ping")));
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!early.isClosed() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(early.isClosed()).as("unauthenticated bridge closed").isTrue();
            }
            try (SignalClient wrongToken = SignalClient.connect("ws://127.0.0.1:19170/bridge")) {
                send(wrongToken, Map.of("type", "bridge-hello", "neighbourhoods", List.of(NEIGHBOURHOOD),
                        "authorization", "Bearer guess"));
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!wrongToken.isClosed() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(wrongToken.isClosed()).as("wrong token").isTrue();
            }
            bridgeSession(node, agent);
        }
    }

    private static void bridgeSession(NodeProcess node, TestAgent agent) throws Exception {
        try (SignalClient bridge = SignalClient.connect("ws://127.0.0.1:19170/bridge")) {
            send(bridge, Map.of("type", "bridge-hello", "neighbourhoods", List.of(NEIGHBOURHOOD),
                    "authorization", "Bearer executor-secret"));
            JsonNode ready = bridge.next();
            if (ready.path("type").asText().equals("close") || bridge.isClosed()) {
                throw new AssertionError("bridge closed: " + ready);
            }
            assertThat(ready.path("type").asText()).isEqualTo("bridge-ready");
            String did = ready.path("did").asText();
            assertThat(did).startsWith("did:key:z6Mk");

            JsonNode announce = nextOfType(bridge, "neighbourhood-signal", "sfu-announce");
            assertThat(announce.path("neighbourhood").asText()).isEqualTo(NEIGHBOURHOOD);
            assertThat(announce.path("message").path("did").asText()).isEqualTo(did);
            assertThat(announce.path("message").path("capacity_hint").asInt()).isPositive();

            // The executor says who the members are; the node keeps it.
            send(bridge, Map.of("type", "members", "neighbourhood", NEIGHBOURHOOD, "members", List.of(agent.did())));
            assertThat(nextOfType(bridge, "members-saved", null).path("count").asInt()).isEqualTo(1);
            JsonNode members = NeighbourhoodPolicyTest.graphql(node, "query($n: String!) { sfuNeighbourhood("
                    + "neighbourhoodUrl: $n) { members } }", Map.of("n", NEIGHBOURHOOD), "executor-secret");
            assertThat(members.path("data").path("sfuNeighbourhood").path("members").get(0).asText())
                    .isEqualTo(agent.did());

            // An agent's call signalling, relayed: hello, join, joined, exactly as on /signal.
            send(bridge, Map.of("type", "agent-signal", "session", "alice", "message", Map.of("type", "ping", "id", "p1")));
            JsonNode hello = nextOfType(bridge, "agent-signal", "hello");
            assertThat(hello.path("session").asText()).isEqualTo("alice");
            assertThat(nextOfType(bridge, "agent-signal", "pong").path("message").path("id").asText()).isEqualTo("p1");
            String nonce = hello.path("message").path("nonce").asText();
            send(bridge, Map.of("type", "agent-signal", "session", "alice", "message", Map.of("type", "join", "id", "j1",
                    "neighbourhood", NEIGHBOURHOOD, "room", "bridged-call", "did", agent.did(), "name", "alice",
                    "proof", agent.sign("adam-sfu-join:" + nonce + ":" + NEIGHBOURHOOD + ":bridged-call"))));
            JsonNode joined = nextOfType(bridge, "agent-signal", "joined");
            assertThat(joined.path("session").asText()).isEqualTo("alice");
            assertThat(joined.path("message").path("topology").asText()).isEqualTo("sfu");
            send(bridge, Map.of("type", "agent-close", "session", "alice"));

            // The node stops (SIGTERM): the neighbourhood hears sfu-leave.
            Thread shutdown = new Thread(() -> {
                try {
                    node.close();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });
            shutdown.start();
            JsonNode leave = nextOfType(bridge, "neighbourhood-signal", "sfu-leave");
            assertThat(leave.path("message").path("did").asText()).isEqualTo(did);
            shutdown.join();
        }
    }
}
