package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may do what through the GraphQL API of a node with DID auth and an operator token: a call's
 * session is its client's alone (its secret, not its participant id, proves it), a room's events
 * are for its participants and the operator, the operator's reads need the token, signed policy
 * changes cannot be replayed, and requests, messages and arguments have bounds.
 */
class GraphqlSecurityTest {

    private static final String NEIGHBOURHOOD = "neighbourhood://security";
    private static final String OTHER_NEIGHBOURHOOD = "neighbourhood://elsewhere";
    private static final String TOKEN = "graphql-operator-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestAgent OWNER = TestAgent.create();
    private static final TestAgent ALICE = TestAgent.create();
    private static final TestAgent BOB = TestAgent.create();
    private static final TestAgent CAROL = TestAgent.create();
    private static NodeProcess node;

    @BeforeAll
    static void start() throws Exception {
        // Empty rooms passivate after 1 s, so a room a read started shows up in the log quickly.
        node = NodeProcess.start("gqlsec", 19260, 42260, "--auth", "did", "--admin-token", TOKEN,
                "-Dsfu.room.idle-timeout=1s");
        // A node just started on a loaded machine may answer its first policy write `unavailable`
        // (its replicated store is still opening): retry that one, within a bound.
        String setOwner = "mutation($n: String!, $d: String!) { sfuSetOwner(neighbourhoodUrl: $n, did: $d) { owner } }";
        Map<String, Object> owner = Map.of("n", NEIGHBOURHOOD, "d", OWNER.did());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode first = NeighbourhoodPolicyTest.graphql(node, setOwner, owner, TOKEN);
        while (first.path("errors").path(0).path("extensions").path("code").asText().equals("unavailable")
                && System.nanoTime() < deadline) {
            Thread.sleep(200); // poll interval inside a bounded wait
            first = NeighbourhoodPolicyTest.graphql(node, setOwner, owner, TOKEN);
        }
        assertThat(first.path("errors").isMissingNode()).as(first.toString()).isTrue();
        setMembers(List.of(OWNER.did(), ALICE.did(), BOB.did(), CAROL.did()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void anotherParticipantsSessionCannotBeTouchedWithoutItsSecret() throws Exception {
        JsonNode victim = join(ALICE, "hijack");
        String id = victim.path("sessionId").asText();
        String roomId = victim.path("roomId").asText();
        assertThat(victim.path("sessionSecret").asText()).as("256 bits, base64url").matches("[A-Za-z0-9_-]{43}");
        assertThat(id).as("the session id is the participant id everyone in the room sees")
                .isEqualTo(victim.path("participantId").asText());

        // Knowing the participant id is not enough, nor is a guessed secret.
        for (String secret : new String[] {null, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
            String as = secret == null ? "without a secret" : "with a wrong secret";
            assertRefused(anonymous("mutation($r: String!, $s: String!" + secretParameter(secret) + ") {"
                    + " callLeave(roomId: $r, sessionId: $s" + secretArgument(secret) + ") }",
                    variables(secret, "r", roomId, "s", id)), "unauthorized", "callLeave " + as);
            assertRefused(anonymous("mutation($s: String!, $sdp: String!" + secretParameter(secret) + ") {"
                    + " callAnswer(sessionId: $s, sdp: $sdp" + secretArgument(secret) + ") }",
                    variables(secret, "s", id, "sdp", "v=0\r\n")), "unauthorized", "callAnswer " + as);
            assertRefused(anonymous("mutation($s: String!" + secretParameter(secret) + ") {"
                    + " callSetQuality(sessionId: $s, quality: \"low\"" + secretArgument(secret) + ") }",
                    variables(secret, "s", id)), "unauthorized", "callSetQuality " + as);
            try (GraphqlSocket attacker = GraphqlSocket.open(null)) {
                attacker.subscribe("steal", "subscription($s: String!" + secretParameter(secret) + ") {"
                        + " callSignals(sessionId: $s" + secretArgument(secret) + ") { type message } }",
                        variables(secret, "s", id));
                assertRefused(attacker.resultOf("steal"), "unauthorized", "callSignals " + as);
            }
        }

        // The victim's call goes on: its signals stream is still its own (starting with `joined`),
        // and its own requests work.
        try (GraphqlSocket owner = GraphqlSocket.open(null)) {
            owner.subscribe("signals", "subscription($s: String!, $k: String!) {"
                    + " callSignals(sessionId: $s, sessionSecret: $k) { type message } }",
                    Map.of("s", id, "k", victim.path("sessionSecret").asText()));
            JsonNode first = owner.frameOf("signals");
            assertThat(first.path("type").asText()).as(first.toString()).isEqualTo("next");
            assertThat(first.path("payload").path("data").path("callSignals").path("type").asText())
                    .isEqualTo("joined");
        }
        JsonNode quality = anonymous("mutation($s: String!, $k: String!) {"
                + " callSetQuality(sessionId: $s, sessionSecret: $k, quality: \"low\") }",
                Map.of("s", id, "k", victim.path("sessionSecret").asText()));
        assertThat(quality.path("data").path("callSetQuality").asBoolean()).as(quality.toString()).isTrue();
        leave(victim);
    }

    @Test
    void sfuRoomsNeedsTheOperator() throws Exception {
        assertRefused(anonymous("{ sfuRooms { roomId } }", Map.of()), "forbidden", "sfuRooms without the token");
        JsonNode asOperator = operator("{ sfuRooms { roomId } }", Map.of());
        assertThat(asOperator.path("sfuRooms").isArray()).as(asOperator.toString()).isTrue();
        assertRefused(anonymous("query($n: String!) { sfuNeighbourhood(neighbourhoodUrl: $n) { members } }",
                Map.of("n", NEIGHBOURHOOD)), "forbidden", "a neighbourhood's members without the token");
    }

    @Test
    void roomEventsAreForTheRoomsParticipantsAndAReadStartsNoRoom() throws Exception {
        JsonNode bob = join(BOB, "lobby");
        String lobby = bob.path("roomId").asText();
        String ghost = roomId(NEIGHBOURHOOD, "ghost");
        try (GraphqlSocket socket = GraphqlSocket.open(null)) {
            socket.subscribe("none", "subscription($r: String!) { callParticipants(roomId: $r) { type } }",
                    Map.of("r", ghost));
            assertRefused(socket.resultOf("none"), "forbidden", "callParticipants without a session");
            socket.subscribe("streams", "subscription($r: String!) { callStreams(roomId: $r) { type } }",
                    Map.of("r", lobby));
            assertRefused(socket.resultOf("streams"), "forbidden", "callStreams without a session");
            socket.subscribe("other-room", roomEvents("callParticipants"), sessionVariables(bob, ghost));
            assertRefused(socket.resultOf("other-room"), "forbidden", "a room the session is not in");
            socket.subscribe("other-nh", roomEvents("callStreams"),
                    sessionVariables(bob, roomId(OTHER_NEIGHBOURHOOD, "lobby")));
            assertRefused(socket.resultOf("other-nh"), "forbidden", "a room of another neighbourhood");
            Map<String, Object> wrongSecret = new HashMap<>(sessionVariables(bob, lobby));
            wrongSecret.put("k", "not-the-secret");
            socket.subscribe("wrong", roomEvents("callParticipants"), wrongSecret);
            assertRefused(socket.resultOf("wrong"), "unauthorized", "a wrong session secret");

            // Bob's own room, with his session: he sees Carol join.
            socket.subscribe("mine", roomEvents("callParticipants"), sessionVariables(bob, lobby));
            socket.barrier();
            JsonNode carol = join(CAROL, "lobby");
            JsonNode joined = socket.frameOf("mine");
            assertThat(joined.path("payload").path("data").path("callParticipants").path("type").asText())
                    .as(joined.toString()).isEqualTo("joined");
            leave(carol);

            // Once Bob is no longer a member, he may not watch the neighbourhood's rooms.
            setMembers(List.of(OWNER.did(), ALICE.did(), CAROL.did()));
            try {
                socket.subscribe("former", roomEvents("callParticipants"), sessionVariables(bob, lobby));
                assertRefused(socket.resultOf("former"), "not-a-member", "a former member");
            } finally {
                setMembers(List.of(OWNER.did(), ALICE.did(), BOB.did(), CAROL.did()));
            }

            // When Bob's session ends, so does what he was watching with it.
            leave(bob);
            JsonNode frame = socket.frameOf("mine");
            while (frame.path("type").asText().equals("next")) {
                frame = socket.frameOf("mine");
            }
            assertThat(frame.path("type").asText()).as(frame.toString()).isEqualTo("complete");
        }

        // None of the refused reads started the ghost room: a room the operator starts after them
        // passivates (empty, after 1 s), the ghost room never logs anything.
        operator("mutation($n: String!) { sfuStartRoom(neighbourhoodUrl: $n, roomId: \"control\") { roomId } }",
                Map.of("n", NEIGHBOURHOOD));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!passivated("control") && System.nanoTime() < deadline) {
            Thread.sleep(100); // poll interval inside a bounded wait
        }
        assertThat(passivated("control")).as("the control room passivated").isTrue();
        assertThat(node.logged(roomKeyText("ghost"))).as("the ghost room was never started").isFalse();
    }

    @Test
    void aConnectionRunsAtMostSixteenOperations() throws Exception {
        // Someone in the room, so that it does not passivate while it is watched.
        JsonNode host = join(OWNER, "crowd");
        String crowd = host.path("roomId").asText();
        try (GraphqlSocket socket = GraphqlSocket.open(TOKEN)) {
            for (int i = 1; i <= 16; i++) {
                socket.subscribe("s" + i, "subscription($r: String!) { callParticipants(roomId: $r) { type } }",
                        Map.of("r", crowd));
            }
            socket.subscribe("s17", "subscription($r: String!) { callParticipants(roomId: $r) { type } }",
                    Map.of("r", crowd));
            JsonNode refused = socket.frameOf("s17");
            assertThat(refused.path("type").asText()).as(refused.toString()).isEqualTo("error");
            assertThat(refused.path("payload").path(0).path("extensions").path("code").asText())
                    .isEqualTo("too-many-operations");

            // Completing one makes room for another; all sixteen then follow the room.
            socket.send(Map.of("type", "complete", "id", "s1"));
            socket.subscribe("s18", "subscription($r: String!) { callParticipants(roomId: $r) { type } }",
                    Map.of("r", crowd));
            socket.barrier();
            JsonNode alice = join(ALICE, "crowd");
            for (int i = 2; i <= 18; i++) {
                if (i == 17) {
                    continue;
                }
                JsonNode event = socket.frameOf("s" + i);
                assertThat(event.path("payload").path("data").path("callParticipants").path("type").asText())
                        .as("s" + i + ": " + event).isEqualTo("joined");
            }
            leave(alice);
        }
        leave(host);
    }

    @Test
    void oneRequestCannotMintThousandsOfNonces() throws Exception {
        StringBuilder query = new StringBuilder("{");
        for (int i = 0; i < 1000; i++) {
            query.append(" n").append(i).append(": callNonce");
        }
        JsonNode thousand = anonymous(query.append(" }").toString(), Map.of());
        assertThat(thousand.path("data").size()).as("nonces minted by one request").isZero();
        assertThat(thousand.path("errors").path(0).path("message").asText()).contains("fields");
        JsonNode two = anonymous("{ a: callNonce b: callNonce }", Map.of());
        assertThat(two.path("errors").path(0).path("extensions").path("code").asText()).as(two.toString())
                .isEqualTo("bad-request");
    }

    @Test
    void aReplayedSignedPolicyChangeIsRefused() throws Exception {
        String config = "{\"mode\":\"gateway\",\"maxParticipants\":9}";
        String nonce = NeighbourhoodPolicyTest.nonce(node);
        String mutation = "mutation($n: String!, $c: String!, $d: String!, $s: String!, $nonce: String) {"
                + " sfuSetConfig(neighbourhoodUrl: $n, config: $c, did: $d, signature: $s, nonce: $nonce) {"
                + " maxParticipants } }";
        Map<String, Object> signed = Map.of("n", NEIGHBOURHOOD, "c", config, "d", OWNER.did(), "nonce", nonce,
                "s", OWNER.sign("adam-sfu-config:" + nonce + ":" + NEIGHBOURHOOD + ":" + config));
        JsonNode first = anonymous(mutation, signed);
        assertThat(first.path("data").path("sfuSetConfig").path("maxParticipants").asInt()).as(first.toString())
                .isEqualTo(9);
        assertRefused(anonymous(mutation, signed), "bad-nonce", "the same signed request again");

        // The format without a nonce is refused, saying what to sign now.
        JsonNode old = anonymous(mutation, Map.of("n", NEIGHBOURHOOD, "c", config, "d", OWNER.did(),
                "s", OWNER.sign("adam-sfu-config:" + NEIGHBOURHOOD + ":" + config)));
        assertRefused(old, "nonce-required", "a signature without a nonce");
        assertThat(old.path("errors").path(0).path("message").asText())
                .contains("adam-sfu-config:<nonce>:<neighbourhoodUrl>:<config>").contains("callNonce");

        // setSfuPeer likewise.
        String self = anonymous("query($n: String!) { sfuPeerForNeighbourhood(neighbourhoodUrl: $n) }",
                Map.of("n", NEIGHBOURHOOD)).path("data").path("sfuPeerForNeighbourhood").asText();
        String peerNonce = NeighbourhoodPolicyTest.nonce(node);
        String setPeer = "mutation($n: String!, $p: String!, $d: String!, $s: String!, $nonce: String) {"
                + " setSfuPeer(neighbourhoodUrl: $n, peer: $p, did: $d, signature: $s, nonce: $nonce) { mode } }";
        Map<String, Object> peerSigned = Map.of("n", NEIGHBOURHOOD, "p", self, "d", OWNER.did(), "nonce", peerNonce,
                "s", OWNER.sign("adam-sfu-peer:" + peerNonce + ":" + NEIGHBOURHOOD + ":" + self));
        JsonNode designated = anonymous(setPeer, peerSigned);
        assertThat(designated.path("data").path("setSfuPeer").path("mode").asText()).as(designated.toString())
                .isEqualTo("designated");
        assertRefused(anonymous(setPeer, peerSigned), "bad-nonce", "setSfuPeer again");
        NeighbourhoodPolicyTest.setConfig(node, NEIGHBOURHOOD, OWNER, "{\"mode\":\"gateway\"}");
    }

    @Test
    void argumentsQueriesAndMessagesAreBoundedBeforeTheyAreParsed() throws Exception {
        String longDid = "did:key:z6Mk" + "1".repeat(20_000);
        JsonNode did = NeighbourhoodPolicyTest.graphql(node, "mutation($n: String!, $d: String!) {"
                + " sfuSetOwner(neighbourhoodUrl: $n, did: $d) { owner } }",
                Map.of("n", NEIGHBOURHOOD, "d", longDid), TOKEN);
        assertRefused(did, "bad-request", "a 20,000-character DID");
        assertThat(did.path("errors").path(0).path("message").asText()).contains("'did'").contains("200");

        try (GraphqlSocket socket = GraphqlSocket.open(null)) {
            socket.subscribe("long", "{ callNonce " + " ".repeat(100_000) + "}", Map.of());
            assertRefused(socket.resultOf("long"), "bad-request", "a 100,000-character query");
            // An SDP over the signalling limit cannot arrive whole: the message carrying it is
            // over the WebSocket message limit, which closes the connection before it is parsed
            // (the argument bound itself: GraphqlInputBoundsTest).
            socket.send(Map.of("type", "subscribe", "id", "huge", "payload", Map.of(
                    "query", "mutation($s: String!, $k: String!, $sdp: String!) {"
                            + " callAnswer(sessionId: $s, sessionSecret: $k, sdp: $sdp) }",
                    "variables", Map.of("s", "p-0", "k", "x", "sdp", ("a=" + "x".repeat(300) + "\r\n").repeat(1_300)))));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!socket.ws.isClosed() && System.nanoTime() < deadline) {
                Thread.sleep(50); // poll interval inside a bounded wait
            }
            assertThat(socket.ws.isClosed()).as("a 400 kB SDP closes the connection").isTrue();
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    /**
     * An error with {@code code} (or, for a required argument left out, graphql-java's validation
     * error) and no data.
     */
    private static void assertRefused(JsonNode result, String code, String what) {
        assertThat(result.path("errors").size()).as(what + ": " + result).isPositive();
        JsonNode error = result.path("errors").path(0);
        if (!error.path("extensions").path("classification").asText().equals("ValidationError")) {
            assertThat(error.path("extensions").path("code").asText()).as(what + ": " + result).isEqualTo(code);
        }
        boolean noData = true;
        for (JsonNode field : result.path("data")) {
            noData &= field.isNull();
        }
        assertThat(noData).as(what + " has no data: " + result).isTrue();
    }

    private static String secretParameter(String secret) {
        return secret == null ? "" : ", $k: String!";
    }

    private static String secretArgument(String secret) {
        return secret == null ? "" : ", sessionSecret: $k";
    }

    private static Map<String, Object> variables(String secret, Object... pairs) {
        Map<String, Object> out = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        if (secret != null) {
            out.put("k", secret);
        }
        return out;
    }

    private static String roomEvents(String field) {
        return "subscription($r: String!, $s: String!, $k: String!) { " + field
                + "(roomId: $r, sessionId: $s, sessionSecret: $k) { type } }";
    }

    private static Map<String, Object> sessionVariables(JsonNode session, String roomId) {
        return Map.of("r", roomId, "s", session.path("sessionId").asText(), "k",
                session.path("sessionSecret").asText());
    }

    /** A room id as sfuRooms gives it: base64url of neighbourhood, U+001F, room. */
    private static String roomId(String neighbourhood, String room) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                (neighbourhood + "\u001f" + room).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static boolean passivated(String room) {
        return node.output().stream().anyMatch(line -> line.contains(roomKeyText(room))
                && line.contains("room idle, passivating"));
    }

    /** How the node's log names a room of the test's neighbourhood. */
    private static String roomKeyText(String room) {
        return "room=" + NEIGHBOURHOOD + "/" + room + " ";
    }

    /** Joins through callJoin (DID auth: nonce and proof); returns the CallSession. */
    private static JsonNode join(TestAgent agent, String room) throws Exception {
        String nonce = NeighbourhoodPolicyTest.nonce(node);
        JsonNode result = anonymous("mutation($n: String!, $r: String!, $d: String!, $nonce: String!, $p: String!) {"
                + " callJoin(neighbourhoodUrl: $n, roomId: $r, did: $d, name: \"agent\", nonce: $nonce, proof: $p) {"
                + " sessionId sessionSecret participantId roomId topology } }",
                Map.of("n", NEIGHBOURHOOD, "r", room, "d", agent.did(), "nonce", nonce,
                        "p", agent.sign("adam-sfu-join:" + nonce + ":" + NEIGHBOURHOOD + ":" + room)));
        JsonNode session = result.path("data").path("callJoin");
        assertThat(session.path("sessionId").isTextual()).as(result.toString()).isTrue();
        return session;
    }

    private static void leave(JsonNode session) throws Exception {
        JsonNode left = anonymous("mutation($r: String!, $s: String!, $k: String!) {"
                + " callLeave(roomId: $r, sessionId: $s, sessionSecret: $k) }",
                Map.of("r", session.path("roomId").asText(), "s", session.path("sessionId").asText(),
                        "k", session.path("sessionSecret").asText()));
        assertThat(left.path("data").path("callLeave").asBoolean()).as(left.toString()).isTrue();
    }

    private static void setMembers(List<String> members) throws Exception {
        operator("mutation($n: String!, $m: [String!]!) { sfuSetMembers(neighbourhoodUrl: $n, members: $m) {"
                + " neighbourhoodUrl } }", Map.of("n", NEIGHBOURHOOD, "m", members));
    }

    /** Over HTTP without the token: the whole response. */
    private static JsonNode anonymous(String query, Map<String, Object> variables) throws Exception {
        return NeighbourhoodPolicyTest.graphql(node, query, variables, null);
    }

    /** Over a WebSocket of its own, without the token: the whole response. */
    private static JsonNode overSocket(String query, Map<String, Object> variables) throws Exception {
        try (GraphqlSocket socket = GraphqlSocket.open(null)) {
            socket.subscribe("1", query, variables);
            return socket.resultOf("1");
        }
    }

    /** Over HTTP with the token: the data, which must come without errors. */
    private static JsonNode operator(String query, Map<String, Object> variables) throws Exception {
        JsonNode result = NeighbourhoodPolicyTest.graphql(node, query, variables, TOKEN);
        assertThat(result.path("errors").isMissingNode()).as(result.toString()).isTrue();
        return result.path("data");
    }

    /** A graphql-transport-ws connection; frames are kept per operation id until asked for. */
    private static final class GraphqlSocket implements AutoCloseable {
        final SignalClient ws;
        private final Map<String, ArrayDeque<JsonNode>> frames = new HashMap<>();

        private GraphqlSocket(SignalClient ws) {
            this.ws = ws;
        }

        static GraphqlSocket open(String token) throws Exception {
            GraphqlSocket socket = new GraphqlSocket(SignalClient.connect(
                    "ws://127.0.0.1:" + node.httpPort() + "/graphql", "graphql-transport-ws"));
            socket.send(Map.of("type", "connection_init",
                    "payload", token == null ? Map.of() : Map.of("authorization", "Bearer " + token)));
            assertThat(socket.ws.next().path("type").asText()).isEqualTo("connection_ack");
            return socket;
        }

        void send(Object message) throws Exception {
            ws.send(JSON.writeValueAsString(message));
        }

        void subscribe(String id, String query, Map<String, Object> variables) throws Exception {
            send(Map.of("type", "subscribe", "id", id, "payload", Map.of("query", query, "variables", variables)));
        }

        /** Returns once the node has handled everything sent before (it answers pings in order). */
        void barrier() throws Exception {
            send(Map.of("type", "ping"));
            frameOf("");
        }

        /** The next frame (next, error or complete) of operation {@code id} ("" for pong). */
        JsonNode frameOf(String id) throws InterruptedException {
            ArrayDeque<JsonNode> kept = frames.get(id);
            if (kept != null && !kept.isEmpty()) {
                return kept.poll();
            }
            while (true) {
                JsonNode frame = ws.next();
                String frameId = frame.path("id").asText();
                if (frameId.equals(id)) {
                    return frame;
                }
                frames.computeIfAbsent(frameId, k -> new ArrayDeque<>()).add(frame);
            }
        }

        /**
         * An operation's result as a GraphQL response: a `next` payload, or the errors of an
         * `error` frame.
         */
        JsonNode resultOf(String id) throws InterruptedException {
            JsonNode frame = frameOf(id);
            if (frame.path("type").asText().equals("error")) {
                com.fasterxml.jackson.databind.node.ObjectNode out = JSON.createObjectNode();
                out.set("errors", frame.path("payload"));
                return out;
            }
            assertThat(frame.path("type").asText()).as(frame.toString()).isEqualTo("next");
            return frame.path("payload");
        }

        @Override
        public void close() {
            ws.close();
        }
    }
}
