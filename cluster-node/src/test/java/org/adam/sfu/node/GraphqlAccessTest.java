package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import graphql.GraphqlErrorException;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.signal.ProtocolCodec;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class GraphqlAccessTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final RoomKey ROOM = new RoomKey("https://n.example", "lobby");
    private static final String ROOM_ID = AdminApi.encodeRoomId(ROOM);
    private static final String OTHER_ROOM_ID = AdminApi.encodeRoomId(new RoomKey("https://n.example", "attic"));

    private final Map<ParticipantId, GraphqlCalls.Session> registry = new ConcurrentHashMap<>();
    private final GraphqlCalls.Session alice = session("p-alice", "did:key:alice", "alice-secret");
    /** DIDs the neighbourhood still counts as members. */
    private final Set<String> members = new HashSet<>(Set.of("did:key:alice"));
    private final GraphqlAccess underDidAuth = new GraphqlAccess(this::find, s -> members.contains(s.did));
    private final GraphqlAccess underOpenAuth = new GraphqlAccess(this::find, null);

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private GraphqlCalls.Session session(String id, String did, String secret) {
        GraphqlCalls.Session session = new GraphqlCalls.Session(ROOM, did, secret, new ProtocolCodec(), KIT.system(),
                registry);
        session.participantId = new ParticipantId(id);
        registry.put(session.participantId, session);
        return session;
    }

    private GraphqlCalls.Session find(String id) {
        return id == null ? null : registry.get(new ParticipantId(id));
    }

    private static void refused(ThrowableAssert.ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOf(GraphqlErrorException.class)
                .satisfies(e -> assertThat(((GraphqlErrorException) e).getExtensions()).containsEntry("code", code));
    }

    @Test
    void operatorFieldsRunForTheOperatorOnly() {
        underDidAuth.requireOperator(GraphqlTestEnv.field("sfuRooms").operator().build());
        refused(() -> underDidAuth.requireOperator(GraphqlTestEnv.field("sfuRooms").build()), "forbidden");
        assertThatThrownBy(() -> underDidAuth.requireOperator(GraphqlTestEnv.field("sfuStopRoom").build()))
                .hasMessage("sfuStopRoom is for the operator: it needs the node's bearer token");
    }

    @Test
    void subscriptionsRunOnlyOverTheStreamingTransport() {
        underDidAuth.requireStreaming(GraphqlTestEnv.field("callSignals").streaming().build());
        refused(() -> underDidAuth.requireStreaming(GraphqlTestEnv.field("callSignals").operator().build()),
                "bad-request");
    }

    @Test
    void aSessionIsActedOnOnlyWithItsSecret() {
        assertThat(underDidAuth.ownSession(GraphqlTestEnv.field("callAnswer").argument("sessionId", "p-alice")
                .argument("sessionSecret", "alice-secret").build())).isSameAs(alice);
        refused(() -> underDidAuth.ownSession(GraphqlTestEnv.field("callAnswer").argument("sessionId", "p-alice")
                .argument("sessionSecret", "guess").build()), "unauthorized");
        refused(() -> underDidAuth.ownSession(GraphqlTestEnv.field("callAnswer").argument("sessionId", "p-alice")
                .build()), "unauthorized");
        refused(() -> underDidAuth.ownSession(GraphqlTestEnv.field("callAnswer").argument("sessionId", "p-nobody")
                .argument("sessionSecret", "alice-secret").build()), "not-joined");
    }

    @Test
    void theOperatorWatchesAnyRoomForAsLongAsItLikes() {
        CompletionStage<?> until = underDidAuth.watchRoom(GraphqlTestEnv.field("callParticipants").operator()
                .streaming().argument("roomId", OTHER_ROOM_ID).build());
        assertThat(until.toCompletableFuture()).isNotDone();
    }

    @Test
    void aParticipantWatchesItsOwnRoomUntilItsSessionEnds() {
        CompletionStage<?> until = underDidAuth.watchRoom(GraphqlTestEnv.field("callStreams").streaming()
                .argument("roomId", ROOM_ID).argument("sessionId", "p-alice")
                .argument("sessionSecret", "alice-secret").build());
        assertThat(until).isSameAs(alice.ended);
    }

    @Test
    void aParticipantMayNotWatchAnotherRoomNorWatchWithoutASession() {
        refused(() -> underDidAuth.watchRoom(GraphqlTestEnv.field("callStreams").streaming()
                .argument("roomId", OTHER_ROOM_ID).argument("sessionId", "p-alice")
                .argument("sessionSecret", "alice-secret").build()), "forbidden");
        refused(() -> underDidAuth.watchRoom(GraphqlTestEnv.field("callStreams").streaming()
                .argument("roomId", ROOM_ID).build()), "forbidden");
        refused(() -> underDidAuth.watchRoom(GraphqlTestEnv.field("callStreams").argument("roomId", ROOM_ID)
                .argument("sessionId", "p-alice").argument("sessionSecret", "alice-secret").build()), "bad-request");
    }

    @Test
    void underDidAuthAFormerMemberStopsWatching() {
        members.clear();
        refused(() -> underDidAuth.watchRoom(GraphqlTestEnv.field("callParticipants").streaming()
                .argument("roomId", ROOM_ID).argument("sessionId", "p-alice")
                .argument("sessionSecret", "alice-secret").build()), "not-a-member");
        assertThat(underOpenAuth.watchRoom(GraphqlTestEnv.field("callParticipants").streaming()
                .argument("roomId", ROOM_ID).argument("sessionId", "p-alice")
                .argument("sessionSecret", "alice-secret").build())).isSameAs(alice.ended);
    }
}
