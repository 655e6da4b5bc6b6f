package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Neighbourhood integration (issue: neighbourhood integration, tests 3 to 5, and the GraphQL
 * operations they use): a node with DID auth, its neighbourhood's owner, members and `sfu` block
 * set through GraphQL, kept across a restart, enforced at join.
 */
class NeighbourhoodPolicyTest {

    private static final String NEIGHBOURHOOD = "neighbourhood://policy";
    private static final String TOKEN = "operator-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestAgent owner = TestAgent.create();
    private final TestAgent alice = TestAgent.create();
    private final TestAgent bob = TestAgent.create();
    private final TestAgent mallory = TestAgent.create();

    static JsonNode graphql(NodeProcess node, String query, Map<String, Object> variables, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url("/graphql")))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("query", query, "variables", variables))));
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String errorCode(JsonNode result) {
        return result.path("errors").path(0).path("extensions").path("code").asText(null);
    }

    private JsonNode setConfig(NodeProcess node, TestAgent signer, String config) throws Exception {
        return setConfig(node, NEIGHBOURHOOD, signer, config);
    }

    /** A fresh nonce from the node (callNonce), for a text to sign. */
    static String nonce(NodeProcess node) throws Exception {
        JsonNode result = graphql(node, "{ callNonce }", Map.of(), null);
        String nonce = result.path("data").path("callNonce").asText(null);
        assertThat(nonce).as(result.toString()).isNotNull();
        return nonce;
    }

    /** Sets a neighbourhood's `sfu` block through GraphQL, signed by {@code signer} over a fresh nonce. */
    static JsonNode setConfig(NodeProcess node, String neighbourhood, TestAgent signer, String config)
            throws Exception {
        String nonce = nonce(node);
        return graphql(node, """
                mutation($n: String!, $c: String!, $d: String!, $s: String!, $nonce: String!) {
                  sfuSetConfig(neighbourhoodUrl: $n, config: $c, did: $d, signature: $s, nonce: $nonce) {
                    mode maxParticipants configured }
                }""", Map.of("n", neighbourhood, "c", config, "d", signer.did(), "nonce", nonce,
                "s", signer.sign("adam-sfu-config:" + nonce + ":" + neighbourhood + ":" + config)), null);
    }

    private static int status(NodeProcess node, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url(path)));
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Joins through the protocol; returns the reply frame (`joined` or `error`). */
    private static JsonNode join(NodeProcess node, TestAgent agent, String room, String proofOverride) throws Exception {
        try (SignalClient client = SignalClient.connect(node.signalUrl())) {
            JsonNode hello = client.next("hello");
            String nonce = hello.path("nonce").asText();
            String proof = proofOverride != null ? proofOverride
                    : agent.sign("adam-sfu-join:" + nonce + ":" + NEIGHBOURHOOD + ":" + room);
            client.send(JSON.writeValueAsString(Map.of("type", "join", "id", "1", "neighbourhood", NEIGHBOURHOOD,
                    "room", room, "did", agent.did(), "name", "agent", "proof", proof)));
            JsonNode reply = client.next();
            while (reply != null && !reply.path("type").asText().equals("joined")
                    && !reply.path("type").asText().equals("error")) {
                reply = client.next();
            }
            return reply;
        }
    }

    @Test
    void policyIsSetThroughGraphqlKeptAcrossARestartAndEnforcedAtJoin() throws Exception {
        Path data = Files.createTempDirectory("sfu-policy-");
        String[] args = {"--auth", "did", "--data-dir", data.toString(), "--admin-token", TOKEN};
        try (NodeProcess node = NodeProcess.start("policy", 19130, 42130, args)) {
            // Operator endpoints need the token once one is configured.
            assertThat(status(node, "/admin/cluster", null)).isEqualTo(401);
            assertThat(status(node, "/admin/cluster", TOKEN)).isEqualTo(200);
            String setOwner = "mutation($n: String!, $d: String!) { sfuSetOwner(neighbourhoodUrl: $n, did: $d) { owner } }";
            assertThat(errorCode(graphql(node, setOwner, Map.of("n", NEIGHBOURHOOD, "d", owner.did()), null)))
                    .isEqualTo("forbidden");
            assertThat(graphql(node, setOwner, Map.of("n", NEIGHBOURHOOD, "d", owner.did()), TOKEN)
                    .path("data").path("sfuSetOwner").path("owner").asText()).isEqualTo(owner.did());
            JsonNode members = graphql(node, "mutation($n: String!, $m: [String!]!) { sfuSetMembers(neighbourhoodUrl: $n,"
                            + " members: $m) { members } }",
                    Map.of("n", NEIGHBOURHOOD, "m", List.of(owner.did(), alice.did(), bob.did())), TOKEN);
            assertThat(members.path("data").path("sfuSetMembers").path("members")).hasSize(3);

            // Config (test 4): each invalid field has its own error; a non-owner and a bad signature are refused.
            for (var bad : Map.of("{\"mode\":\"designated\"}", "designatedPeer", "{\"maxMeshParticipants\":1}",
                    "maxMeshParticipants", "{\"mode\":\"star\"}", "mode", "{\"maxParticipants\":-3}", "maxParticipants")
                    .entrySet()) {
                JsonNode result = setConfig(node, owner, bad.getKey());
                assertThat(errorCode(result)).as(bad.getKey()).isEqualTo("invalid-config");
                assertThat(result.path("errors").path(0).path("extensions").path("field").asText())
                        .isEqualTo(bad.getValue());
            }
            String config = "{\"mode\":\"gateway\",\"maxParticipants\":3,\"maxMeshParticipants\":4}";
            assertThat(errorCode(setConfig(node, mallory, config))).isEqualTo("not-owner");
            String nonce = nonce(node);
            JsonNode forged = graphql(node, """
                    mutation($n: String!, $c: String!, $d: String!, $s: String!, $nonce: String!) {
                      sfuSetConfig(neighbourhoodUrl: $n, config: $c, did: $d, signature: $s, nonce: $nonce) { mode }
                    }""", Map.of("n", NEIGHBOURHOOD, "c", config, "d", owner.did(), "nonce", nonce,
                    "s", mallory.sign("adam-sfu-config:" + nonce + ":" + NEIGHBOURHOOD + ":" + config)), null);
            assertThat(errorCode(forged)).isEqualTo("bad-signature");
            JsonNode saved = setConfig(node, owner, config);
            assertThat(saved.path("data").path("sfuSetConfig").path("maxParticipants").asInt()).as(saved.toString())
                    .isEqualTo(3);
            JsonNode peer = graphql(node, "query($n: String!) { sfuPeerForNeighbourhood(neighbourhoodUrl: $n) }",
                    Map.of("n", NEIGHBOURHOOD), null);
            assertThat(peer.path("data").path("sfuPeerForNeighbourhood").asText()).as("gateway: this node's DID")
                    .startsWith("did:key:z6Mk");
        }

        try (NodeProcess node = NodeProcess.start("policy", 19130, 42130, args)) {
            // The restarted node still has the block, the owner and the members (test 4).
            JsonNode kept = graphql(node, "query($n: String!) { sfuNeighbourhood(neighbourhoodUrl: $n) { owner members"
                    + " config { mode maxParticipants configured } } }", Map.of("n", NEIGHBOURHOOD), TOKEN);
            JsonNode neighbourhood = kept.path("data").path("sfuNeighbourhood");
            assertThat(neighbourhood.path("owner").asText()).as(kept.toString()).isEqualTo(owner.did());
            assertThat(neighbourhood.path("config").path("maxParticipants").asInt()).isEqualTo(3);
            assertThat(neighbourhood.path("config").path("configured").asBoolean()).isTrue();

            // Auth (test 3): only a valid proof by a member is admitted; nothing else makes a participant.
            assertThat(join(node, alice, "auth", null).path("type").asText()).isEqualTo("joined");
            assertThat(join(node, alice, "auth", "AAAA").path("code").asText()).as("forged").isEqualTo("unauthorized");
            assertThat(join(node, alice, "auth", mallory.sign("adam-sfu-join:x:" + NEIGHBOURHOOD + ":auth"))
                    .path("code").asText()).as("proof by another DID").isEqualTo("unauthorized");
            String replayed;
            try (SignalClient first = SignalClient.connect(node.signalUrl())) {
                replayed = bob.sign("adam-sfu-join:" + first.next("hello").path("nonce").asText() + ":"
                        + NEIGHBOURHOOD + ":auth");
            }
            assertThat(join(node, bob, "auth", replayed).path("code").asText()).as("replayed nonce")
                    .isEqualTo("unauthorized");
            assertThat(join(node, mallory, "auth", null).path("code").asText()).as("non-member")
                    .isEqualTo("not-a-member");
            Thread.sleep(500); // an observation window: a refused join that made a participant anyway would show in it
            assertThat(node.metric("sfu_participants{node=\"policy\"}")).as("only alice's join made a participant"
                    + " (she has left since)").isLessThanOrEqualTo(1.0);

            // Limits (test 5): maxParticipants 3 refuses the fourth join with room-full.
            try (SignalClient one = joined(node, owner, "full"); SignalClient two = joined(node, alice, "full");
                 SignalClient three = joined(node, bob, "full")) {
                JsonNode fourth = join(node, owner, "full", null);
                assertThat(fourth.path("code").asText()).as(fourth.toString()).isEqualTo("room-full");
            }
        }
    }

    /** A member who joins and stays (the returned client keeps the socket open). */
    private static SignalClient joined(NodeProcess node, TestAgent agent, String room) throws Exception {
        SignalClient client = SignalClient.connect(node.signalUrl());
        String nonce = client.next("hello").path("nonce").asText();
        client.send(JSON.writeValueAsString(Map.of("type", "join", "id", "1", "neighbourhood", NEIGHBOURHOOD,
                "room", room, "did", agent.did(), "name", "agent",
                "proof", agent.sign("adam-sfu-join:" + nonce + ":" + NEIGHBOURHOOD + ":" + room))));
        assertThat(client.next("joined")).isNotNull();
        return client;
    }
}
