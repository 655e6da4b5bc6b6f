package org.adam.sfu.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphqlErrorBuilder;
import graphql.GraphqlErrorException;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.adam.sfu.room.ClientEvent;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.Room;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.signal.ProtocolException;
import org.adam.sfu.signal.auth.AuthMode;
import org.adam.sfu.signal.auth.JoinAuthenticator;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.room.ShardedRooms;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.room.policy.InvalidConfigException;
import org.adam.sfu.room.policy.NeighbourhoodDirectory;
import org.adam.sfu.room.policy.NeighbourhoodPolicy;
import org.adam.sfu.room.policy.Neighbourhoods;
import org.adam.sfu.room.policy.PeerElection;
import org.adam.sfu.room.policy.SfuConfig;
import org.adam.sfu.room.policy.SfuPresence;
import org.adam.sfu.room.policy.TopologyDecision;
import org.reactivestreams.Publisher;
import org.adam.sfu.signal.auth.DidKey;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The node's GraphQL API (graphql-java, schema in `graphql/schema.graphqls`): rooms, the SFU peer
 * of a neighbourhood, and its policy. Errors carry `extensions.code`.
 */
final class GraphqlApi {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Set in each request's GraphQL context: may this caller act as the operator? */
    static final String OPERATOR = "operator";

    private final ObjectMapper json = new ObjectMapper();
    private final GraphQL graphql;
    private final ActorSystem<?> system;
    private final AdminApi admin;
    private final ActorRef<SfuNode.Command> node;
    private final ActorRef<Neighbourhoods.Command> neighbourhoods;
    private final NeighbourhoodDirectory directory;
    private final String nodeId;
    private final ShardedRooms rooms;
    private final SfuPresence presence;
    private final JoinAuthenticator authenticator;
    private final GraphqlCalls calls;
    /** Nonces callNonce gave out and callJoin has not used yet, with when they were issued. */
    private final Map<String, Long> nonces = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long NONCE_LIFETIME_MILLIS = 60_000;
    private final java.security.SecureRandom random = new java.security.SecureRandom();

    GraphqlApi(ActorSystem<?> system, AdminApi admin, ActorRef<SfuNode.Command> node, ShardedRooms rooms,
               ActorRef<Neighbourhoods.Command> neighbourhoods, NeighbourhoodDirectory directory, SfuPresence presence,
               String nodeId, JoinAuthenticator authenticator) {
        this.system = system;
        this.authenticator = authenticator;
        this.calls = new GraphqlCalls(system, node);
        this.rooms = rooms;
        this.presence = presence;
        this.admin = admin;
        this.node = node;
        this.neighbourhoods = neighbourhoods;
        this.directory = directory;
        this.nodeId = nodeId;
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", q -> q
                        .dataFetcher("sfuRooms", env -> rooms())
                        .dataFetcher("sfuPeerForNeighbourhood", this::peerForNeighbourhood)
                        .dataFetcher("sfuConfig", env -> configView(neighbourhood(env)))
                        .dataFetcher("getSfuConfig", env -> configView(neighbourhood(env)))
                        .dataFetcher("sfuNeighbourhood", env -> neighbourhoodView(neighbourhood(env)))
                        .dataFetcher("requestSfu", this::requestSfu)
                        .dataFetcher("callNonce", env -> issueNonce()))
                .type("Subscription", s -> s
                        .dataFetcher("callParticipants", env -> roomEvents(env, GraphqlApi::participantEvent))
                        .dataFetcher("callStreams", env -> roomEvents(env, GraphqlApi::streamEvent))
                        .dataFetcher("callSignals", env -> session(env).signals()))
                .type("Mutation", m -> m
                        .dataFetcher("sfuSetConfig", this::setConfig)
                        .dataFetcher("setSfuPeer", this::setSfuPeer)
                        .dataFetcher("callJoin", this::callJoin)
                        .dataFetcher("callLeave", env -> {
                            calls.leave(session(env));
                            return true;
                        })
                        .dataFetcher("callAnswer", env -> {
                            calls.answer(session(env), env.getArgument("sdp"));
                            return true;
                        })
                        .dataFetcher("callSetQuality", env -> {
                            String quality = env.getArgument("quality");
                            if (!List.of("auto", "high", "medium", "low").contains(quality)) {
                                throw error("bad-request", "quality must be auto, high, medium or low");
                            }
                            String track = env.getArgument("trackId");
                            session(env).participant.tell(new Participant.ClientSetQuality(quality,
                                    track == null ? null : new TrackId(track)));
                            return true;
                        })
                        .dataFetcher("sfuStartRoom", this::startRoom)
                        .dataFetcher("sfuStopRoom", env -> {
                            requireOperator(env);
                            rooms.room(roomKey(env)).tell(new Room.Close("stopped by the operator"));
                            return true;
                        })
                        .dataFetcher("sfuSetOwner", env -> {
                            requireOperator(env);
                            return save(replyTo -> new Neighbourhoods.SetOwner(neighbourhood(env),
                                    did(env.getArgument("did")), replyTo)).thenApply(p -> neighbourhoodView(neighbourhood(env)));
                        })
                        .dataFetcher("sfuSetMembers", env -> {
                            requireOperator(env);
                            List<String> members = new ArrayList<>();
                            for (String member : env.<List<String>>getArgument("members")) {
                                members.add(did(member));
                            }
                            return save(replyTo -> new Neighbourhoods.SetMembers(neighbourhood(env), members, replyTo))
                                    .thenApply(p -> neighbourhoodView(neighbourhood(env)));
                        }))
                .build();
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(schemaText()), wiring);
        this.graphql = GraphQL.newGraphQL(schema).defaultDataFetcherExceptionHandler(GraphqlApi::asError).build();
    }

    private static String schemaText() {
        try (InputStream in = GraphqlApi.class.getResourceAsStream("/graphql/schema.graphqls")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("graphql/schema.graphqls missing from the node jar", e);
        }
    }

    /** Runs one GraphQL-over-HTTP request body ({query, variables?, operationName?}). */
    CompletionStage<ObjectNode> execute(JsonNode request, boolean operator) {
        return executeRaw(request, operator).thenApply(result -> json.valueToTree(result.toSpecification()));
    }

    /** As {@link #execute}, the result as graphql-java gives it (a subscription's data is a Publisher). */
    CompletionStage<ExecutionResult> executeRaw(JsonNode request, boolean operator) {
        Map<String, Object> variables = request.hasNonNull("variables")
                ? json.convertValue(request.get("variables"), Map.class) : Map.of();
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(request.path("query").asText(""))
                .operationName(request.hasNonNull("operationName") ? request.get("operationName").asText() : null)
                .variables(variables)
                .graphQLContext(Map.of(OPERATOR, operator))
                .build();
        return graphql.executeAsync(input);
    }

    /**
     * Errors the resolvers raise on purpose go out as they are (message and `extensions.code`);
     * anything else is an `internal` error without the exception's details.
     */
    private static CompletableFuture<DataFetcherExceptionHandlerResult> asError(
            DataFetcherExceptionHandlerParameters parameters) {
        Throwable failure = parameters.getException();
        while (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        GraphqlErrorBuilder<?> error = GraphqlErrorBuilder.newError(parameters.getDataFetchingEnvironment());
        if (failure instanceof GraphqlErrorException known) {
            error.message(known.getMessage()).extensions(known.getExtensions());
        } else if (failure instanceof java.util.concurrent.TimeoutException) {
            error.message("the cluster did not answer in time").extensions(Map.of("code", "unavailable"));
        } else {
            error.message("internal error").extensions(Map.of("code", "internal"));
        }
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(error.build()).build());
    }

    private static GraphqlErrorException error(String code, String message) {
        return GraphqlErrorException.newErrorException().message(message).extensions(Map.of("code", code)).build();
    }

    private static void requireOperator(DataFetchingEnvironment env) {
        Boolean operator = env.getGraphQlContext().get(OPERATOR);
        if (!Boolean.TRUE.equals(operator)) {
            throw error("forbidden", "this mutation needs the node's bearer token");
        }
    }

    private static String neighbourhood(DataFetchingEnvironment env) {
        String url = env.getArgument("neighbourhoodUrl");
        if (url == null || url.isBlank() || url.length() > 512) {
            throw error("bad-request", "neighbourhoodUrl must be 1-512 characters");
        }
        return url;
    }

    private static String did(String did) {
        try {
            DidKey.parse(did);
            return did;
        } catch (IllegalArgumentException e) {
            throw error("bad-request", "not an Ed25519 did:key: " + did);
        }
    }

    private CompletableFuture<List<Map<String, Object>>> rooms() {
        return admin.handle(io.netty.handler.codec.http.HttpMethod.GET, "/admin/rooms").thenApply(response -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (JsonNode room : response.body().path("rooms")) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("roomId", room.path("id").asText());
                r.put("neighbourhoodUrl", room.path("neighbourhood").asText());
                r.put("name", room.path("room").asText());
                r.put("nodes", json.convertValue(room.path("nodes"), List.class));
                out.add(r);
            }
            return out;
        }).toCompletableFuture();
    }

    private CompletableFuture<String> peerForNeighbourhood(DataFetchingEnvironment env) {
        SfuConfig config = directory.policy(neighbourhood(env)).effectiveConfig();
        return AskPattern.<SfuNode.Command, SfuNode.Nodes>ask(node, SfuNode.GetNodes::new, TIMEOUT, system.scheduler())
                .thenApply(nodes -> PeerElection.elect(config, nodeId, nodes.nodes()).orElse(null))
                .toCompletableFuture();
    }

    private String issueNonce() {
        long now = System.currentTimeMillis();
        nonces.values().removeIf(issued -> now - issued > NONCE_LIFETIME_MILLIS);
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        nonces.put(nonce, now);
        return nonce;
    }

    private GraphqlCalls.Session session(DataFetchingEnvironment env) {
        GraphqlCalls.Session session = calls.find(env.getArgument("sessionId"));
        if (session == null) {
            throw error("not-joined", "no GraphQL call session " + env.getArgument("sessionId"));
        }
        return session;
    }

    private CompletableFuture<Map<String, Object>> callJoin(DataFetchingEnvironment env) {
        String neighbourhood = neighbourhood(env);
        String room = env.getArgument("roomId");
        String did = env.getArgument("did");
        if (room == null || room.isBlank() || did == null || did.isBlank()) {
            throw error("bad-request", "roomId and did are required");
        }
        String nonce = env.getArgument("nonce");
        try {
            if (authenticator.mode() == AuthMode.DID) {
                Long issued = nonce == null ? null : nonces.remove(nonce);
                if (issued == null || System.currentTimeMillis() - issued > NONCE_LIFETIME_MILLIS) {
                    throw error("unauthorized", "a fresh nonce from callNonce is required");
                }
                authenticator.checkJoin(did, env.getArgument("proof"), nonce, neighbourhood, room, null);
                if (!directory.policy(neighbourhood).isMember(did)) {
                    throw error("not-a-member", did + " is not a member of " + neighbourhood);
                }
            }
        } catch (ProtocolException e) {
            throw error(e.code(), e.getMessage());
        }
        String name = env.getArgument("name");
        String offer = env.getArgument("offer");
        return calls.join(neighbourhood, room, did, name == null ? "" : name).thenCompose(session -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("sessionId", session.participantId.value());
            out.put("participantId", session.participantId.value());
            out.put("roomId", AdminApi.encodeRoomId(new RoomKey(neighbourhood, room)));
            out.put("topology", session.joined.join().topology());
            if (offer == null) {
                return CompletableFuture.completedFuture(out);
            }
            return calls.publish(session, offer).thenApply(reply -> {
                if (reply instanceof ClientEvent.Error refused) {
                    throw error(refused.code(), refused.message());
                }
                out.put("answer", ((ClientEvent.Answer) reply).sdp());
                return out;
            });
        });
    }

    private static RoomKey roomKey(DataFetchingEnvironment env) {
        try {
            return AdminApi.decodeRoomId(env.getArgument("roomId"));
        } catch (IllegalArgumentException e) {
            throw error("bad-request", e.getMessage());
        }
    }

    private CompletableFuture<Map<String, Object>> startRoom(DataFetchingEnvironment env) {
        requireOperator(env);
        String name = env.getArgument("roomId");
        if (name == null || name.isBlank() || name.length() > 256) {
            throw error("bad-request", "roomId must be 1-256 characters");
        }
        RoomKey key = new RoomKey(neighbourhood(env), name);
        return AskPattern.<Room.Command, Room.State>ask(rooms.room(key), Room.GetState::new, TIMEOUT,
                        system.scheduler())
                .thenApply(state -> {
                    Map<String, Object> room = new LinkedHashMap<>();
                    room.put("roomId", AdminApi.encodeRoomId(key));
                    room.put("neighbourhoodUrl", key.neighbourhood());
                    room.put("name", key.room());
                    room.put("nodes", List.of(state.hostNode()));
                    return room;
                }).toCompletableFuture();
    }

    private CompletableFuture<Map<String, Object>> requestSfu(DataFetchingEnvironment env) {
        SfuConfig config = directory.policy(neighbourhood(env)).effectiveConfig();
        TopologyDecision topology = TopologyDecision.decide(config, presence.live());
        return AskPattern.<SfuNode.Command, SfuNode.Nodes>ask(node, SfuNode.GetNodes::new, TIMEOUT, system.scheduler())
                .thenApply(nodes -> {
                    String peer = topology.mesh() ? null : PeerElection.elect(config, nodeId, nodes.nodes()).orElse(null);
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("topology", topology.topology());
                    out.put("peer", peer);
                    out.put("signalUrl", nodes.nodes().stream().filter(a -> a.did().equals(peer))
                            .map(a -> a.signalUrl()).findFirst().orElse(null));
                    return out;
                }).toCompletableFuture();
    }

    private CompletableFuture<Map<String, Object>> setSfuPeer(DataFetchingEnvironment env) {
        String neighbourhood = neighbourhood(env);
        String peer = did(env.getArgument("peer"));
        String did = did(env.getArgument("did"));
        verify(did, env.getArgument("signature"), "adam-sfu-peer:" + neighbourhood + ":" + peer);
        SfuConfig current = directory.policy(neighbourhood).effectiveConfig();
        SfuConfig designated = new SfuConfig("designated", peer, current.sfuPeers(), current.maxParticipantsPerNode(),
                current.fallback(), current.maxMeshParticipants(), current.iceServers(), current.maxParticipants(),
                current.maxBitrateKbps(), current.videoCodecs());
        return save(replyTo -> new Neighbourhoods.SetConfig(neighbourhood, designated, did, replyTo))
                .thenApply(policy -> {
                    reconsiderCalls(neighbourhood);
                    return configView(neighbourhood);
                });
    }

    /** The neighbourhood's running calls decide their topology again under its new policy. */
    private void reconsiderCalls(String neighbourhood) {
        admin.handle(io.netty.handler.codec.http.HttpMethod.GET, "/admin/rooms").thenAccept(response -> {
            for (JsonNode room : response.body().path("rooms")) {
                if (room.path("neighbourhood").asText().equals(neighbourhood)) {
                    rooms.room(new RoomKey(neighbourhood, room.path("room").asText())).tell(new Room.Reconsider());
                }
            }
        });
    }

    /** A subscription's events: the room's, mapped, as a publisher. */
    private Publisher<Map<String, Object>> roomEvents(DataFetchingEnvironment env,
                                                      BiFunction<String, Room.Event, Map<String, Object>> mapper) {
        String roomId = env.getArgument("roomId");
        RoomKey key = roomKey(env);
        return RoomEventStream.open(system, rooms.room(key), event -> mapper.apply(roomId, event));
    }

    private static Map<String, Object> participantEvent(String roomId, Room.Event event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("roomId", roomId);
        if (event instanceof Room.ParticipantJoined joined) {
            out.put("type", "joined");
            out.put("participantId", joined.participant().participantId().value());
            out.put("did", joined.participant().did());
            out.put("name", joined.participant().name());
            out.put("node", joined.participant().node());
        } else if (event instanceof Room.ParticipantLeft left) {
            out.put("type", "left");
            out.put("participantId", left.participantId().value());
            out.put("reason", left.reason().wireName());
        } else if (event instanceof Room.Closed closed) {
            out.put("type", "closed");
            out.put("reason", closed.reason());
        } else {
            return null;
        }
        return out;
    }

    private static Map<String, Object> streamEvent(String roomId, Room.Event event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("roomId", roomId);
        if (event instanceof Room.TrackPublished published) {
            TrackInfo track = published.track();
            out.put("type", "published");
            out.put("trackId", track.trackId().value());
            out.put("participantId", track.participantId().value());
            out.put("kind", track.kind());
            out.put("source", track.source());
            out.put("layers", track.layers());
            out.put("muted", track.muted());
        } else if (event instanceof Room.TrackUnpublished unpublished) {
            out.put("type", "unpublished");
            out.put("trackId", unpublished.trackId().value());
        } else if (event instanceof Room.TrackMuted muted) {
            out.put("type", muted.muted() ? "muted" : "unmuted");
            out.put("trackId", muted.trackId().value());
            out.put("muted", muted.muted());
        } else {
            return null;
        }
        return out;
    }

    private static void verify(String did, String signatureText, String signedText) {
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(signatureText);
        } catch (IllegalArgumentException e) {
            throw error("bad-signature", "signature is not base64url");
        }
        if (!DidKey.parse(did).verify(signedText.getBytes(StandardCharsets.UTF_8), signature)) {
            throw error("bad-signature", "the signature does not verify for " + did);
        }
    }

    private CompletableFuture<Map<String, Object>> setConfig(DataFetchingEnvironment env) {
        String neighbourhood = neighbourhood(env);
        String configText = env.getArgument("config");
        String did = did(env.getArgument("did"));
        SfuConfig config;
        try {
            config = SfuConfig.parse(configText);
        } catch (InvalidConfigException e) {
            throw GraphqlErrorException.newErrorException().message(e.getMessage())
                    .extensions(Map.of("code", "invalid-config", "field", e.field())).build();
        }
        verify(did, env.getArgument("signature"), "adam-sfu-config:" + neighbourhood + ":" + configText);
        return save(replyTo -> new Neighbourhoods.SetConfig(neighbourhood, config, did, replyTo))
                .thenApply(policy -> {
                    reconsiderCalls(neighbourhood);
                    return configView(neighbourhood);
                });
    }

    /** Asks for a policy change and fails with the refusal's code. */
    private CompletableFuture<NeighbourhoodPolicy> save(
            Function<ActorRef<Neighbourhoods.Outcome>, Neighbourhoods.Command> change) {
        CompletionStage<Neighbourhoods.Outcome> outcome = AskPattern.ask(neighbourhoods, change::apply, TIMEOUT,
                system.scheduler());
        return outcome.thenApply(result -> {
            if (result instanceof Neighbourhoods.Refused refused) {
                throw error(refused.code(), refused.message());
            }
            return ((Neighbourhoods.Saved) result).policy();
        }).toCompletableFuture();
    }

    private Map<String, Object> configView(String neighbourhood) {
        NeighbourhoodPolicy policy = directory.policy(neighbourhood);
        Map<String, Object> view = new LinkedHashMap<>(policy.effectiveConfig().toMap());
        view.put("configured", policy.config() != null);
        return view;
    }

    private Map<String, Object> neighbourhoodView(String neighbourhood) {
        NeighbourhoodPolicy policy = directory.policy(neighbourhood);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("neighbourhoodUrl", neighbourhood);
        view.put("owner", policy.owner());
        view.put("members", policy.members());
        view.put("config", configView(neighbourhood));
        return view;
    }
}
