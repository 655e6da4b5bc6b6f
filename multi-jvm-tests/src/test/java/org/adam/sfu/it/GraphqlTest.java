package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GraphQL API (issue: neighbourhood integration, test 1): every query and mutation over
 * HTTP, and the `callParticipants` / `callStreams` subscriptions over graphql-transport-ws
 * following a real participant's join, publication and leave.
 */
class GraphqlTest {

    private static final String NEIGHBOURHOOD = "neighbourhood://graphql";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestAgent OWNER = TestAgent.create();
    private static TestRig rig;
    private static NodeProcess node;

    @BeforeAll
    static void start() throws Exception {
        rig = TestRig.single("graphql", 19150, 42150);
        node = rig.node();
    }

    @AfterAll
    static void stop() throws Exception {
        TestRig.close(rig);
    }

    private static JsonNode query(String query, Map<String, Object> variables) throws Exception {
        JsonNode result = NeighbourhoodPolicyTest.graphql(node, query, variables, null);
        assertThat(result.path("errors").isMissingNode()).as(result.toString()).isTrue();
        return result.path("data");
    }

    private static void send(SignalClient ws, Object message) throws Exception {
        ws.send(JSON.writeValueAsString(message));
    }

    /** The next `next` payload of operation {@code id}. */
    private static JsonNode nextOf(SignalClient ws, String id) throws Exception {
        while (true) {
            JsonNode frame = ws.next();
            if (frame.path("id").asText().equals(id) && frame.path("type").asText().equals("next")) {
                return frame.path("payload").path("data");
            }
            assertThat(frame.path("type").asText()).as(frame.toString()).isNotEqualTo("error");
        }
    }

    @Test
    void everyOperationOverHttpAndSubscriptionsOverGraphqlTransportWs() throws Exception {
        Map<String, Object> nh = Map.of("n", NEIGHBOURHOOD);
        // Policy hooks and queries.
        query("mutation($n: String!, $d: String!) { sfuSetOwner(neighbourhoodUrl: $n, did: $d) { owner } }",
                Map.of("n", NEIGHBOURHOOD, "d", OWNER.did()));
        query("mutation($n: String!, $m: [String!]!) { sfuSetMembers(neighbourhoodUrl: $n, members: $m) { members } }",
                Map.of("n", NEIGHBOURHOOD, "m", List.of(OWNER.did())));
        String config = "{\"mode\":\"gateway\",\"maxMeshParticipants\":3}";
        JsonNode set = NeighbourhoodPolicyTest.setConfig(node, NEIGHBOURHOOD, OWNER, config);
        assertThat(set.path("data").path("sfuSetConfig").path("mode").asText()).as(set.toString()).isEqualTo("gateway");
        JsonNode read = query("query($n: String!) { sfuConfig(neighbourhoodUrl: $n) { mode maxMeshParticipants configured }"
                + " getSfuConfig(neighbourhoodUrl: $n) { mode } sfuNeighbourhood(neighbourhoodUrl: $n) { owner members }"
                + " sfuPeerForNeighbourhood(neighbourhoodUrl: $n) requestSfu(neighbourhoodUrl: $n) { topology peer signalUrl } }",
                nh);
        assertThat(read.path("sfuConfig").path("maxMeshParticipants").asInt()).isEqualTo(3);
        assertThat(read.path("getSfuConfig").path("mode").asText()).isEqualTo("gateway");
        assertThat(read.path("sfuNeighbourhood").path("owner").asText()).isEqualTo(OWNER.did());
        String self = read.path("sfuPeerForNeighbourhood").asText();
        assertThat(self).startsWith("did:key:z6Mk");
        assertThat(read.path("requestSfu").path("topology").asText()).isEqualTo("sfu");
        assertThat(read.path("requestSfu").path("peer").asText()).isEqualTo(self);
        assertThat(read.path("requestSfu").path("signalUrl").asText()).isEqualTo(node.signalUrl());
        String nonce = query("{ callNonce }", Map.of()).path("callNonce").asText();
        assertThat(nonce).hasSizeGreaterThan(16).isNotEqualTo(query("{ callNonce }", Map.of()).path("callNonce").asText());
        String peerNonce = NeighbourhoodPolicyTest.nonce(node);
        JsonNode peer = query("mutation($n: String!, $p: String!, $d: String!, $s: String!, $nonce: String!) {"
                + " setSfuPeer(neighbourhoodUrl: $n, peer: $p, did: $d, signature: $s, nonce: $nonce) {"
                + " mode designatedPeer } }",
                Map.of("n", NEIGHBOURHOOD, "p", self, "d", OWNER.did(), "nonce", peerNonce,
                        "s", OWNER.sign("adam-sfu-peer:" + peerNonce + ":" + NEIGHBOURHOOD + ":" + self)));
        assertThat(peer.path("setSfuPeer").path("mode").asText()).isEqualTo("designated");
        assertThat(peer.path("setSfuPeer").path("designatedPeer").asText()).isEqualTo(self);

        // A room, watched over graphql-transport-ws while a participant joins, publishes and leaves.
        String roomId = query("mutation($n: String!) { sfuStartRoom(neighbourhoodUrl: $n, roomId: \"standup\") {"
                + " roomId name nodes } }", nh).path("sfuStartRoom").path("roomId").asText();
        try (SignalClient ws = SignalClient.connect("ws://127.0.0.1:" + node.httpPort() + "/graphql",
                "graphql-transport-ws")) {
            assertThat(ws.subprotocol()).isEqualTo("graphql-transport-ws");
            send(ws, Map.of("type", "connection_init", "payload", Map.of()));
            assertThat(ws.next().path("type").asText()).isEqualTo("connection_ack");
            send(ws, Map.of("type", "subscribe", "id", "people", "payload", Map.of("query",
                    "subscription($r: String!) { callParticipants(roomId: $r) { type participantId name reason } }",
                    "variables", Map.of("r", roomId))));
            send(ws, Map.of("type", "subscribe", "id", "streams", "payload", Map.of("query",
                    "subscription($r: String!) { callStreams(roomId: $r) { type trackId participantId kind } }",
                    "variables", Map.of("r", roomId))));
            send(ws, Map.of("type", "subscribe", "id", "rooms", "payload", Map.of("query", "{ sfuRooms { roomId } }")));
            // The node handles one socket's messages in order and each subscription tells the room
            // to be watched as it starts: once the query sent after them answers, both watch.
            // (Its answer lists rooms with someone in them, so not this one yet.)
            assertThat(nextOf(ws, "rooms").has("sfuRooms")).isTrue();

            BrowserPage alice = rig.browser().open("gql-alice", node.url("/?neighbourhood="
                    + java.net.URLEncoder.encode(NEIGHBOURHOOD, "UTF-8") + "&room=standup&name=alice&autojoin=1"));
            alice.awaitState("joined", Duration.ofSeconds(20));
            JsonNode joined = nextOf(ws, "people").path("callParticipants");
            assertThat(joined.path("type").asText()).isEqualTo("joined");
            assertThat(joined.path("name").asText()).isEqualTo("alice");
            assertThat(joined.path("participantId").asText()).isEqualTo(alice.participantId());
            JsonNode published = nextOf(ws, "streams").path("callStreams");
            assertThat(published.path("type").asText()).isEqualTo("published");
            assertThat(published.path("participantId").asText()).isEqualTo(alice.participantId());

            JsonNode rooms = query("{ sfuRooms { roomId name neighbourhoodUrl nodes } }", Map.of());
            assertThat(rooms.path("sfuRooms").findValuesAsText("roomId")).contains(roomId);

            alice.eval("document.getElementById('leave').click()"); // `leave`: no reconnect grace to wait out
            JsonNode left = nextOf(ws, "people").path("callParticipants");
            assertThat(left.path("type").asText()).isEqualTo("left");
            assertThat(left.path("participantId").asText()).isEqualTo(joined.path("participantId").asText());

            // Stopping the room ends the subscription (a `closed` event, then `complete`).
            assertThat(query("mutation($r: String!) { sfuStopRoom(roomId: $r) }", Map.of("r", roomId))
                    .path("sfuStopRoom").asBoolean()).isTrue();
            assertThat(nextOf(ws, "people").path("callParticipants").path("type").asText()).isEqualTo("closed");
            alice.close();
            send(ws, Map.of("type", "complete", "id", "streams"));
            send(ws, Map.of("type", "ping"));
            JsonNode frame = ws.next();
            while (!frame.path("type").asText().equals("pong")) {
                frame = ws.next();
            }
        }
    }

    /** A call between two Chromium pages set up through GraphQL alone decodes video both ways. */
    @Test
    void aCallThroughGraphqlAloneDecodesVideoBothWays() throws Exception {
        String script = java.nio.file.Files.readString(java.nio.file.Path.of(
                System.getProperty("sfu.browser.dir", "src/test/browser"), "graphql-call.js"));
        List<BrowserPage> pages = new java.util.ArrayList<>();
        for (String name : List.of("gqlalice", "gqlbob")) {
            BrowserPage page = rig.browser().open(name, node.url("/"));
            page.eval("(() => { " + script + "\n return true; })()");
            JsonNode session = page.eval("window.graphqlCall.start('" + NEIGHBOURHOOD + "', 'graphql-call', '" + name + "')");
            assertThat(session.path("topology").asText()).isEqualTo("sfu");
            assertThat(session.path("answer").asText()).startsWith("v=0");
            pages.add(page);
        }
        for (BrowserPage page : pages) {
            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            JsonNode video = page.eval("window.graphqlCall.inboundVideo()");
            while (!(video.size() == 1 && video.get(0).path("framesDecoded").asLong() > 30
                    && video.get(0).path("frameWidth").asInt() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(250);
                video = page.eval("window.graphqlCall.inboundVideo()");
            }
            System.out.println("graphql call: " + page.name() + " decodes " + video);
            assertThat(video.size()).as(page.name()).isEqualTo(1);
            assertThat(video.get(0).path("framesDecoded").asLong()).as(page.name()).isGreaterThan(30);
            assertThat(video.get(0).path("frameWidth").asInt()).as(page.name()).isPositive();
        }
        for (BrowserPage page : pages) {
            assertThat(page.eval("window.graphqlCall.setQuality('low')").path("callSetQuality").asBoolean()).isTrue();
            assertThat(page.eval("window.graphqlCall.leave()").path("callLeave").asBoolean()).isTrue();
            page.close();
        }
    }

    /** The web client's settings panel: its owner edits the `sfu` block, signed with the page's key. */
    @Test
    void theOwnerEditsTheSfuBlockInTheWebClient() throws Exception {
        String neighbourhood = "neighbourhood://settings";
        BrowserPage page = rig.browser().open("settings", node.url("/?neighbourhood="
                + java.net.URLEncoder.encode(neighbourhood, "UTF-8")));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (page.eval("window.sfu ? window.sfu.did : null").isNull() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        String did = page.eval("window.sfu.did").asText();
        assertThat(did).as("an Ed25519 did:key made in the page").startsWith("did:key:z6Mk");
        query("mutation($n: String!, $d: String!) { sfuSetOwner(neighbourhoodUrl: $n, did: $d) { owner } }",
                Map.of("n", neighbourhood, "d", did));
        // As opening the panel does (without the toggle event's own load racing the edits below).
        assertThat(page.eval("(async () => (await window.sfu.settings.load()).owner)()").asText()).isEqualTo(did);

        String refused = page.eval("(async () => { const f = document.querySelector('#settings form');"
                + " f.elements.mode.value = 'designated'; f.elements.designatedPeer.value = '';"
                + " await window.sfu.settings.save(); return document.querySelector('.settings-status').textContent; })()")
                .asText();
        assertThat(refused).contains("invalid-config").contains("designatedPeer");

        boolean saved = page.eval("(async () => { const f = document.querySelector('#settings form');"
                + " f.elements.designatedPeer.value = window.sfu.did; f.elements.maxParticipants.value = '12';"
                + " return window.sfu.settings.save(); })()").asBoolean();
        assertThat(saved).isTrue();
        JsonNode config = query("query($n: String!) { sfuConfig(neighbourhoodUrl: $n) { mode designatedPeer"
                + " maxParticipants configured } }", Map.of("n", neighbourhood)).path("sfuConfig");
        assertThat(config.path("mode").asText()).isEqualTo("designated");
        assertThat(config.path("designatedPeer").asText()).isEqualTo(did);
        assertThat(config.path("maxParticipants").asInt()).isEqualTo(12);
        page.close();
    }
}
