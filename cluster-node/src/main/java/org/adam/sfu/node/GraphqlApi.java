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
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.ExecutionInput;
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
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.room.policy.InvalidConfigException;
import org.adam.sfu.room.policy.NeighbourhoodDirectory;
import org.adam.sfu.room.policy.NeighbourhoodPolicy;
import org.adam.sfu.room.policy.Neighbourhoods;
import org.adam.sfu.room.policy.PeerElection;
import org.adam.sfu.room.policy.SfuConfig;
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

    GraphqlApi(ActorSystem<?> system, AdminApi admin, ActorRef<SfuNode.Command> node,
               ActorRef<Neighbourhoods.Command> neighbourhoods, NeighbourhoodDirectory directory, String nodeId) {
        this.system = system;
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
                        .dataFetcher("sfuNeighbourhood", env -> neighbourhoodView(neighbourhood(env))))
                .type("Mutation", m -> m
                        .dataFetcher("sfuSetConfig", this::setConfig)
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
        Map<String, Object> variables = request.hasNonNull("variables")
                ? json.convertValue(request.get("variables"), Map.class) : Map.of();
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(request.path("query").asText(""))
                .operationName(request.hasNonNull("operationName") ? request.get("operationName").asText() : null)
                .variables(variables)
                .graphQLContext(Map.of(OPERATOR, operator))
                .build();
        return graphql.executeAsync(input).thenApply(result -> json.valueToTree(result.toSpecification()));
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
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(env.<String>getArgument("signature"));
        } catch (IllegalArgumentException e) {
            throw error("bad-signature", "signature is not base64url");
        }
        byte[] signed = ("adam-sfu-config:" + neighbourhood + ":" + configText).getBytes(StandardCharsets.UTF_8);
        if (!DidKey.parse(did).verify(signed, signature)) {
            throw error("bad-signature", "the signature does not verify for " + did);
        }
        return save(replyTo -> new Neighbourhoods.SetConfig(neighbourhood, config, did, replyTo))
                .thenApply(policy -> configView(neighbourhood));
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
