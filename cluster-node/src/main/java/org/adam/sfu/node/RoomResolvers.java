package org.adam.sfu.node;

import static org.adam.sfu.node.GraphqlErrors.error;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import org.adam.sfu.room.Room;
import org.adam.sfu.room.RoomDirectory;
import org.adam.sfu.room.RoomKey;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.reactivestreams.Publisher;

/**
 * GraphQL fields about rooms: the operator lists, starts and stops them; the operator and a
 * room's own participants watch its participants and streams. Holds no state; called on
 * graphql-java's threads.
 */
final class RoomResolvers {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ActorSystem<?> system;
    private final ClusterAdmin cluster;
    private final RoomDirectory rooms;
    private final GraphqlAccess access;

    RoomResolvers(ActorSystem<?> system, ClusterAdmin cluster, RoomDirectory rooms, GraphqlAccess access) {
        this.system = system;
        this.cluster = cluster;
        this.rooms = rooms;
        this.access = access;
    }

    void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", q -> q
                        .dataFetcher("sfuRooms", env -> {
                            access.requireOperator(env);
                            return rooms();
                        }))
                .type("Subscription", s -> s
                        .dataFetcher("callParticipants", env -> roomEvents(env, RoomEventViews::participantEvent))
                        .dataFetcher("callStreams", env -> roomEvents(env, RoomEventViews::streamEvent)))
                .type("Mutation", m -> m
                        .dataFetcher("sfuStartRoom", this::startRoom)
                        .dataFetcher("sfuStopRoom", env -> {
                            access.requireOperator(env);
                            rooms.room(GraphqlArguments.roomKey(env)).tell(new Room.Close("stopped by the operator"));
                            return true;
                        }));
    }

    private CompletableFuture<List<Map<String, Object>>> rooms() {
        return cluster.rooms().thenApply(summaries -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (ClusterAdmin.RoomSummary room : summaries) {
                out.add(roomView(room.key(), room.nodes()));
            }
            return out;
        }).toCompletableFuture();
    }

    private static Map<String, Object> roomView(RoomKey key, List<String> nodes) {
        Map<String, Object> room = new LinkedHashMap<>();
        room.put("roomId", AdminApi.encodeRoomId(key));
        room.put("neighbourhoodUrl", key.neighbourhood());
        room.put("name", key.room());
        room.put("nodes", nodes);
        return room;
    }

    private CompletableFuture<Map<String, Object>> startRoom(DataFetchingEnvironment env) {
        access.requireOperator(env);
        String name = env.getArgument("roomId");
        if (name == null || name.isBlank() || name.length() > 256) {
            throw error("bad-request", "roomId must be 1-256 characters");
        }
        RoomKey key = new RoomKey(GraphqlArguments.neighbourhood(env), name);
        return AskPattern.<Room.Command, Room.State>ask(rooms.room(key), Room.GetState::new, TIMEOUT,
                        system.scheduler())
                .thenApply(state -> roomView(key, List.of(state.hostNode()))).toCompletableFuture();
    }

    /** A subscription's events: the room's, mapped, as a publisher, for callers {@link GraphqlAccess} lets watch. */
    private Publisher<Map<String, Object>> roomEvents(DataFetchingEnvironment env,
                                                      BiFunction<String, Room.Event, Map<String, Object>> mapper) {
        CompletionStage<?> until = access.watchRoom(env);
        String roomId = env.getArgument("roomId");
        RoomKey key = GraphqlArguments.roomKey(env);
        return RoomEventStream.open(system, rooms.room(key), event -> mapper.apply(roomId, event), until);
    }
}
