package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.ParticipantInfo;
import org.adam.sfu.room.Room;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.room.neighbourhood.SfuAnnounce;
import org.junit.jupiter.api.Test;

/**
 * The admin HTTP API through the node's HTTP handlers ({@link HttpBodyLimit}, {@link HttpRoutes})
 * on an EmbeddedChannel, over an in-memory cluster.
 */
class AdminRoutesTest {

    private static final String TOKEN = "Bearer s3cret";
    private static final RoomKey LOBBY = new RoomKey("https://n.example", "lobby");

    /** A cluster of two nodes with one room, kept in memory. */
    private static final class InMemoryCluster implements ClusterAdmin {
        final List<String> drained = new ArrayList<>();

        @Override
        public Membership membership() {
            return new Membership("node-a", "node-a",
                    List.of(new Member("node-a", "pekko://sfu@10.0.0.1:2551", "Up", true, List.of("id=node-a"))),
                    List.of());
        }

        @Override
        public CompletionStage<List<SfuAnnounce>> nodes() {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<List<RoomSummary>> rooms() {
            return CompletableFuture.completedFuture(List.of(new RoomSummary(LOBBY, List.of("node-a", "node-b"))));
        }

        @Override
        public CompletionStage<RoomDetail> room(RoomKey key) {
            if (!key.equals(LOBBY)) {
                return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("no answer"));
            }
            ParticipantInfo alice = new ParticipantInfo(new ParticipantId("p1"), "did:key:a", "Alice", "node-b");
            return CompletableFuture.completedFuture(new RoomDetail(
                    new Room.State(LOBBY, "node-a", List.of(alice), List.of(), Map.of()), List.of(), true));
        }

        @Override
        public CompletionStage<Optional<SfuNode.Load>> drain(String nodeId) {
            if (!nodeId.equals("node-b")) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            drained.add(nodeId);
            return CompletableFuture.completedFuture(Optional.of(new SfuNode.Load(nodeId, 3, List.of(), true)));
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final InMemoryCluster cluster = new InMemoryCluster();

    private EmbeddedChannel channel() {
        HttpRoutes routes = new HttpRoutes("node-a", new AdminApi(cluster), null, new OperatorAccess("s3cret", false),
                null);
        return new EmbeddedChannel(new HttpServerCodec(), new HttpBodyLimit(1024), routes);
    }

    /** The raw HTTP response to one request. */
    private static String exchange(EmbeddedChannel channel, String method, String path, String authorization,
                                   String body) {
        String request = method + " " + path + " HTTP/1.1\r\nHost: node.example\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        ByteBuf bytes;
        while ((bytes = channel.readOutbound()) != null) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.release();
        }
        return out.toString();
    }

    private static String get(EmbeddedChannel channel, String path) {
        return exchange(channel, "GET", path, TOKEN, "");
    }

    private JsonNode body(String response) throws Exception {
        assertThat(response).contains("content-type: application/json");
        return json.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void theClusterRouteListsItsMembers() throws Exception {
        String response = get(channel(), "/admin/cluster");
        assertThat(response).startsWith("HTTP/1.1 200");
        JsonNode cluster = body(response);
        assertThat(cluster.path("leader").asText()).isEqualTo("node-a");
        assertThat(cluster.path("members").get(0).path("roles").get(0).asText()).isEqualTo("id=node-a");
        assertThat(cluster.path("unreachable").isArray()).isTrue();
    }

    @Test
    void theNodesRouteListsTheAnnounces() throws Exception {
        String response = get(channel(), "/admin/nodes");
        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(body(response).path("nodes").isArray()).isTrue();
    }

    @Test
    void theRoomsRouteNamesEachRoomByItsId() throws Exception {
        JsonNode room = body(get(channel(), "/admin/rooms")).path("rooms").get(0);
        assertThat(room.path("id").asText()).isEqualTo(AdminApi.encodeRoomId(LOBBY));
        assertThat(room.path("room").asText()).isEqualTo("lobby");
        assertThat(room.path("nodes").toString()).isEqualTo("[\"node-a\",\"node-b\"]");
    }

    @Test
    void aRoomRouteGroupsItsParticipantsByNodeAndSaysWhenItsRoomDoesNotAnswer() throws Exception {
        JsonNode room = body(get(channel(), "/admin/rooms/" + AdminApi.encodeRoomId(LOBBY)));
        assertThat(room.path("host").asText()).isEqualTo("node-a");
        assertThat(room.path("participantsByNode").path("node-b").get(0).asText()).isEqualTo("p1");
        assertThat(room.path("pipesComplete").asBoolean()).isTrue();
        String silent = get(channel(), "/admin/rooms/" + AdminApi.encodeRoomId(new RoomKey("https://n.example", "x")));
        assertThat(silent).startsWith("HTTP/1.1 503");
        assertThat(body(silent).path("error").asText()).isEqualTo("unavailable");
        assertThat(get(channel(), "/admin/rooms/!!")).startsWith("HTTP/1.1 400");
    }

    @Test
    void drainIsAPostForAKnownNode() throws Exception {
        String drained = exchange(channel(), "POST", "/admin/nodes/node-b/drain", TOKEN, "");
        assertThat(drained).startsWith("HTTP/1.1 202");
        assertThat(body(drained).path("draining").asBoolean()).isTrue();
        assertThat(cluster.drained).containsExactly("node-b");
        assertThat(exchange(channel(), "POST", "/admin/nodes/node-z/drain", TOKEN, "")).startsWith("HTTP/1.1 404");
        assertThat(get(channel(), "/admin/nodes/node-b/drain")).startsWith("HTTP/1.1 405");
        assertThat(cluster.drained).hasSize(1);
    }

    @Test
    void everyAdminRouteNeedsTheToken() throws Exception {
        for (String path : List.of("/admin/cluster", "/admin/nodes", "/admin/rooms", "/admin/nodes/node-b/drain")) {
            String refused = exchange(channel(), path.endsWith("drain") ? "POST" : "GET", path, null, "");
            assertThat(refused).as(path).startsWith("HTTP/1.1 401");
            assertThat(body(refused).path("error").asText()).isEqualTo("unauthorized");
            assertThat(exchange(channel(), "GET", path, "Bearer wrong", "")).as(path).startsWith("HTTP/1.1 401");
        }
        assertThat(cluster.drained).isEmpty();
    }

    @Test
    void unknownRoutesAre404WithAJsonBody() throws Exception {
        String admin = get(channel(), "/admin/nowhere");
        assertThat(admin).startsWith("HTTP/1.1 404");
        assertThat(body(admin).path("error").asText()).isEqualTo("not-found");
        String page = get(channel(), "/no-such-page.html");
        assertThat(page).startsWith("HTTP/1.1 404");
        assertThat(body(page).path("message").asText()).isEqualTo("nothing at /no-such-page.html");
    }

    @Test
    void anOversizedBodyIsRefusedBeforeAnyRoute() throws Exception {
        EmbeddedChannel channel = channel();
        String refused = exchange(channel, "POST", "/admin/nodes/node-b/drain", TOKEN, "x".repeat(2048));
        assertThat(refused).startsWith("HTTP/1.1 413");
        assertThat(body(refused).path("error").asText()).isEqualTo("too-large");
        assertThat(cluster.drained).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void healthNeedsNoToken() throws Exception {
        String health = exchange(channel(), "GET", "/healthz", null, "");
        assertThat(health).startsWith("HTTP/1.1 200");
        assertThat(body(health).path("node").asText()).isEqualTo("node-a");
    }
}
