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
import graphql.ExecutionResultImpl;
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
 *
 * <p>Who may do what: the operator (see {@link OperatorAccess}) everything; a GraphQL call's client
 * acts on its own session only, proving it with the secret callJoin gave it, and reads the roster
 * of its own room only; a neighbourhood's owner changes its policy with texts signed over a nonce
 * from callNonce, so a captured request cannot be replayed. Everyone may read policies.
 */
final class GraphqlApi {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Set in each request's GraphQL context: may this caller act as the operator? */
    static final String OPERATOR = "operator";
    /** Set in each request's GraphQL context: did it come over graphql-transport-ws (where subscriptions run)? */
    static final String STREAMING = "streaming";
    /** In each request's GraphQL context: how many nonces it asked for (one is allowed). */
    private static final String NONCES_ASKED = "noncesAsked";
    /** Outstanding nonces the node keeps at most; beyond it the oldest is forgotten. */
    private static final int NONCE_CAPACITY = 4096;
    private static final Duration NONCE_LIFETIME = Duration.ofSeconds(60);

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
    /** Nonces callNonce gave out that no callJoin, sfuSetConfig or setSfuPeer has used yet. */
    private final NonceStore nonces = new NonceStore(NONCE_CAPACITY, NONCE_LIFETIME,
            () -> System.nanoTime() / 1_000_000);

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
                        .dataFetcher("sfuRooms", env -> {
                            requireOperator(env);
                            return rooms();
                        })
                        .dataFetcher("sfuPeerForNeighbourhood", this::peerForNeighbourhood)
                        .dataFetcher("sfuConfig", env -> configView(neighbourhood(env)))
                        .dataFetcher("getSfuConfig", env -> configView(neighbourhood(env)))
                        .dataFetcher("sfuNeighbourhood", env -> neighbourhoodView(neighbourhood(env)))
                        .dataFetcher("requestSfu", this::requestSfu)
                        .dataFetcher("callNonce", this::issueNonce))
                .type("Subscription", s -> s
                        .dataFetcher("callParticipants", env -> roomEvents(env, GraphqlApi::participantEvent))
                        .dataFetcher("callStreams", env -> roomEvents(env, GraphqlApi::streamEvent))
                        .dataFetcher("callSignals", env -> {
                            requireStreaming(env);
                            return ownSession(env).signals();
                        }))
                .type("Mutation", m -> m
                        .dataFetcher("sfuSetConfig", this::setConfig)
                        .dataFetcher("setSfuPeer", this::setSfuPeer)
                        .dataFetcher("callJoin", this::callJoin)
                        .dataFetcher("callLeave", env -> {
                            GraphqlCalls.Session session = ownSession(env);
                            if (!roomKey(env).equals(session.room)) {
                                throw error("bad-request", "the session is not in room " + env.getArgument("roomId"));
                            }
                            calls.leave(session);
                            return true;
                        })
                        .dataFetcher("callAnswer", env -> {
                            calls.answer(ownSession(env), env.getArgument("sdp"));
                            return true;
                        })
                        .dataFetcher("callSetQuality", env -> {
                            String quality = env.getArgument("quality");
                            if (!List.of("auto", "high", "medium", "low").contains(quality)) {
                                throw error("bad-request", "quality must be auto, high, medium or low");
                            }
                            String track = env.getArgument("trackId");
                            ownSession(env).participant.tell(new Participant.ClientSetQuality(quality,
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
                // Who belongs to a neighbourhood is the operator's to read (its DIDs are its roster).
                .type("Neighbourhood", n -> n.dataFetcher("members", env -> {
                    requireOperator(env);
                    Map<String, Object> neighbourhood = env.getSource();
                    return neighbourhood.get("members");
                }))
                .build();
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(schemaText()), wiring);
        this.graphql = GraphQL.newGraphQL(schema).defaultDataFetcherExceptionHandler(GraphqlApi::asError)
                .instrumentation(new GraphqlInputBounds()).build();
    }

    private static String schemaText() {
        try (InputStream in = GraphqlApi.class.getResourceAsStream("/graphql/schema.graphqls")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("graphql/schema.graphqls missing from the node jar", e);
        }
    }

    /** Runs one GraphQL-over-HTTP request body ({query, variables?, operationName?}); no subscriptions. */
    CompletionStage<ObjectNode> execute(JsonNode request, boolean operator) {
        return execute(request, operator, false).thenApply(result -> json.valueToTree(result.toSpecification()));
    }

    /**
     * Runs one graphql-transport-ws `subscribe` payload; the result as graphql-java gives it (a
     * subscription's data is a Publisher).
     */
    CompletionStage<ExecutionResult> executeStreaming(JsonNode request, boolean operator) {
        return execute(request, operator, true);
    }

    private CompletionStage<ExecutionResult> execute(JsonNode request, boolean operator, boolean streaming) {
        JsonNode query = request.path("query");
        JsonNode variables = request.path("variables");
        JsonNode operationName = request.path("operationName");
        String refusal = refusal(query, variables, operationName);
        if (refusal != null) {
            return CompletableFuture.completedFuture(ExecutionResultImpl.newExecutionResult()
                    .addError(GraphqlErrorBuilder.newError().message(refusal)
                            .extensions(Map.of("code", "bad-request")).build())
                    .build());
        }
        Map<Object, Object> context = new java.util.HashMap<>();
        context.put(OPERATOR, operator);
        context.put(STREAMING, streaming);
        context.put(NONCES_ASKED, new java.util.concurrent.atomic.AtomicInteger());
        GraphqlRequestLimits.addTo(context);
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(query.asText())
                .operationName(operationName.isTextual() ? operationName.asText() : null)
                .variables(variables.isObject() ? json.convertValue(variables, Map.class) : Map.of())
                .graphQLContext(context)
                .build();
        return graphql.executeAsync(input);
    }

    /** Why a request's parts are refused before the query is parsed, or null. */
    private static String refusal(JsonNode query, JsonNode variables, JsonNode operationName) {
        if (!query.isTextual()) {
            return "query must be a string";
        }
        if (!(variables.isMissingNode() || variables.isNull() || variables.isObject())) {
            return "variables must be an object";
        }
        if (!(operationName.isMissingNode() || operationName.isNull() || operationName.isTextual())) {
            return "operationName must be a string";
        }
        return GraphqlRequestLimits.refusal(query.asText());
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

    /** An error a resolver raises on purpose: its message and `extensions.code` go to the client. */
    static GraphqlErrorException error(String code, String message) {
        return GraphqlErrorException.newErrorException().message(message).extensions(Map.of("code", code)).build();
    }

    private static boolean isOperator(DataFetchingEnvironment env) {
        return Boolean.TRUE.equals(env.getGraphQlContext().get(OPERATOR));
    }

    private static void requireOperator(DataFetchingEnvironment env) {
        if (!isOperator(env)) {
            throw error("forbidden", env.getField().getName()
                    + " is for the operator: it needs the node's bearer token");
        }
    }

    private static void requireStreaming(DataFetchingEnvironment env) {
        if (!Boolean.TRUE.equals(env.getGraphQlContext().get(STREAMING))) {
            throw error("bad-request",
                    "subscriptions run over the WebSocket /graphql (graphql-transport-ws), not POST");
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

    private String issueNonce(DataFetchingEnvironment env) {
        java.util.concurrent.atomic.AtomicInteger asked = env.getGraphQlContext().get(NONCES_ASKED);
        if (asked.incrementAndGet() > 1) {
            throw error("bad-request", "callNonce may be asked once per request");
        }
        return nonces.issue();
    }

    /**
     * The session the request names, when it also carries that session's secret: the participant
     * id alone is known to everyone in the room and proves nothing.
     */
    private GraphqlCalls.Session ownSession(DataFetchingEnvironment env) {
        String id = env.getArgument("sessionId");
        GraphqlCalls.Session session = calls.find(id);
        if (session == null) {
            throw error("not-joined", "no GraphQL call session " + id);
        }
        if (!session.isOwnedBy(env.getArgument("sessionSecret"))) {
            throw error("unauthorized", "sessionSecret is not the secret callJoin gave this session");
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
        if (room.length() > 256) {
            throw error("bad-request", "roomId must be 1-256 characters");
        }
        String nonce = env.getArgument("nonce");
        try {
            if (authenticator.mode() == AuthMode.DID) {
                if (!nonces.take(nonce)) {
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
            out.put("sessionSecret", session.secret);
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
        verifySigned(env, did, "adam-sfu-peer", neighbourhood, peer, "<peer>");
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

    /**
     * A subscription's events: the room's, mapped, as a publisher. The operator may watch any
     * room; anyone else only the room their own session is in (and, under DID auth, only while
     * they are still a member of its neighbourhood), so a room nobody is in is never started
     * for a reader.
     */
    private Publisher<Map<String, Object>> roomEvents(DataFetchingEnvironment env,
                                                      BiFunction<String, Room.Event, Map<String, Object>> mapper) {
        requireStreaming(env);
        String roomId = env.getArgument("roomId");
        CompletionStage<?> until = new CompletableFuture<Void>();
        if (!isOperator(env)) {
            if (env.getArgument("sessionId") == null) {
                throw error("forbidden", "a room's events are for its participants (sessionId and sessionSecret"
                        + " from callJoin) and the operator");
            }
            GraphqlCalls.Session session = ownSession(env);
            if (!roomKey(env).equals(session.room)) {
                throw error("forbidden", "the session is not in room " + roomId);
            }
            if (authenticator.mode() == AuthMode.DID
                    && !directory.policy(session.room.neighbourhood()).isMember(session.did)) {
                throw error("not-a-member",
                        session.did + " is no longer a member of " + session.room.neighbourhood());
            }
            until = session.ended;
        }
        RoomKey key = roomKey(env);
        return RoomEventStream.open(system, rooms.room(key), event -> mapper.apply(roomId, event), until);
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

    /**
     * Checks an owner's signature over `<kind>:<nonce>:<neighbourhoodUrl>:<subject>`, the nonce
     * one callNonce gave out on this node and nobody has used; it is used up here, whatever the
     * outcome, so a captured request cannot be sent again.
     */
    private void verifySigned(DataFetchingEnvironment env, String did, String kind, String neighbourhood,
                              String subject, String subjectName) {
        String format = kind + ":<nonce>:<neighbourhoodUrl>:" + subjectName;
        String nonce = env.getArgument("nonce");
        if (nonce == null) {
            throw error("nonce-required", "sign " + format + " with a nonce from callNonce and send the nonce as"
                    + " `nonce`: signatures without one could be replayed and are no longer accepted");
        }
        if (!nonces.take(nonce)) {
            throw error("bad-nonce", "the nonce was not issued by this node, was used already or is older than "
                    + nonces.lifetimeSeconds() + " s: ask callNonce for a new one and sign again");
        }
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(env.<String>getArgument("signature"));
        } catch (IllegalArgumentException e) {
            throw error("bad-signature", "signature is not base64url");
        }
        String signed = kind + ":" + nonce + ":" + neighbourhood + ":" + subject;
        if (!DidKey.parse(did).verify(signed.getBytes(StandardCharsets.UTF_8), signature)) {
            throw error("bad-signature", "the signature does not verify for " + did + " over " + format);
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
        verifySigned(env, did, "adam-sfu-config", neighbourhood, configText, "<config>");
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
