package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.adam.sfu.room.Room;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.room.neighbourhood.SfuAnnounce;
import org.adam.sfu.room.policy.NeighbourhoodDirectory;
import org.adam.sfu.room.policy.Neighbourhoods;
import org.adam.sfu.room.policy.SfuPresence;
import org.adam.sfu.signal.auth.AuthMode;
import org.adam.sfu.signal.auth.JoinAuthenticator;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The resolvers as the schema wires them, over an in-memory cluster and stand-in actors. */
class GraphqlApiTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final RoomKey LOBBY = new RoomKey("https://n.example", "lobby");

    private final ObjectMapper json = new ObjectMapper();
    private final TestProbe<Room.Command> room = KIT.createTestProbe();
    private final TestProbe<Neighbourhoods.Command> neighbourhoods = KIT.createTestProbe();
    private final ActorRef<SfuNode.Command> node = KIT.spawn(Behaviors.receiveMessage(message -> {
        if (message instanceof SfuNode.GetNodes get) {
            get.replyTo().tell(new SfuNode.Nodes(List.of()));
        }
        return Behaviors.same();
    }));
    private final ClusterAdmin cluster = new ClusterAdmin() {
        @Override
        public Membership membership() {
            throw new UnsupportedOperationException();
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
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Optional<SfuNode.Load>> drain(String nodeId) {
            throw new UnsupportedOperationException();
        }
    };
    private final GraphqlApi api = new GraphqlApi(KIT.system(), cluster, node, key -> room.getRef(),
            neighbourhoods.getRef(), new NeighbourhoodDirectory(), new SfuPresence(), "did:key:node",
            new JoinAuthenticator(AuthMode.OPEN, Runnable::run));

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private JsonNode run(String query, boolean operator) throws Exception {
        ObjectNode request = json.createObjectNode().put("query", query);
        return api.execute(request, operator).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String code(JsonNode result) {
        return result.path("errors").get(0).path("extensions").path("code").asText();
    }

    @Test
    void theOperatorListsRoomsFromTheClusterServiceAndOthersAreForbidden() throws Exception {
        JsonNode rooms = run("{ sfuRooms { roomId neighbourhoodUrl name nodes } }", true).path("data").path("sfuRooms");
        assertThat(rooms.get(0).path("roomId").asText()).isEqualTo(AdminApi.encodeRoomId(LOBBY));
        assertThat(rooms.get(0).path("name").asText()).isEqualTo("lobby");
        assertThat(rooms.get(0).path("nodes").toString()).isEqualTo("[\"node-a\",\"node-b\"]");
        JsonNode refused = run("{ sfuRooms { roomId } }", false);
        assertThat(code(refused)).isEqualTo("forbidden");
        assertThat(refused.path("errors").get(0).path("message").asText())
                .isEqualTo("sfuRooms is for the operator: it needs the node's bearer token");
    }

    @Test
    void stoppingARoomIsTheOperatorsAndClosesIt() throws Exception {
        String mutation = "mutation { sfuStopRoom(roomId: \"" + AdminApi.encodeRoomId(LOBBY) + "\") }";
        assertThat(code(run(mutation, false))).isEqualTo("forbidden");
        room.expectNoMessage(java.time.Duration.ofMillis(50));
        assertThat(run(mutation, true).path("data").path("sfuStopRoom").asBoolean()).isTrue();
        assertThat(room.expectMessageClass(Room.Close.class).reason()).isEqualTo("stopped by the operator");
    }

    @Test
    void aRequestGetsOneNonce() throws Exception {
        assertThat(run("{ callNonce }", false).path("data").path("callNonce").asText()).hasSize(22);
        JsonNode twice = run("{ a: callNonce b: callNonce }", false);
        assertThat(code(twice)).isEqualTo("bad-request");
        assertThat(twice.path("errors").get(0).path("message").asText())
                .isEqualTo("callNonce may be asked once per request");
    }

    @Test
    void everyoneReadsAPolicyButOnlyTheOperatorItsMembers() throws Exception {
        String query = "{ sfuNeighbourhood(neighbourhoodUrl: \"https://n.example\") { neighbourhoodUrl members } }";
        JsonNode open = run(query, false);
        assertThat(code(open)).isEqualTo("forbidden");
        assertThat(open.path("errors").get(0).path("path").toString()).isEqualTo("[\"sfuNeighbourhood\",\"members\"]");
        JsonNode operator = run(query, true);
        assertThat(operator.path("data").path("sfuNeighbourhood").path("members").isArray()).isTrue();
        assertThat(code(run("{ sfuConfig(neighbourhoodUrl: \"\") { configured } }", false))).isEqualTo("bad-request");
    }

    @Test
    void requestSfuAnswersFromThePolicyAndTheNodes() throws Exception {
        JsonNode assignment = run("{ requestSfu(neighbourhoodUrl: \"https://n.example\") { topology peer signalUrl } }",
                false).path("data").path("requestSfu");
        assertThat(assignment.path("topology").isTextual()).isTrue();
        assertThat(assignment.path("signalUrl").isNull()).isTrue();
    }
}
