package org.adam.sfu.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.ExecutionResultImpl;
import graphql.GraphQL;
import graphql.GraphqlErrorBuilder;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.adam.sfu.room.RoomDirectory;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.room.policy.NeighbourhoodDirectory;
import org.adam.sfu.room.policy.Neighbourhoods;
import org.adam.sfu.room.policy.SfuPresence;
import org.adam.sfu.signal.auth.AuthMode;
import org.adam.sfu.signal.auth.JoinAuthenticator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The node's GraphQL API (graphql-java, schema in `graphql/schema.graphqls`): wires the resolvers
 * of rooms ({@link RoomResolvers}), calls ({@link CallResolvers}), neighbourhood policies
 * ({@link PolicyResolvers}) and SFU peers ({@link PeerResolvers}) into the schema, and runs
 * requests. Who may do what is decided in {@link GraphqlAccess}; nonces and owners' signatures are
 * checked in {@link SignedRequests}. Errors carry `extensions.code`. Built once; requests run on
 * the Netty event loop that received them and continue on graphql-java's and the actors' threads.
 */
final class GraphqlApi {

    /** Set in each request's GraphQL context: may this caller act as the operator? */
    static final String OPERATOR = "operator";
    /** Set in each request's GraphQL context: did it come over graphql-transport-ws (where subscriptions run)? */
    static final String STREAMING = "streaming";
    /** In each request's GraphQL context: how many nonces it asked for (one is allowed). */
    static final String NONCES_ASKED = "noncesAsked";
    /** Outstanding nonces the node keeps at most; beyond it the oldest is forgotten. */
    private static final int NONCE_CAPACITY = 4096;
    private static final Duration NONCE_LIFETIME = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();
    private final GraphQL graphql;

    GraphqlApi(ActorSystem<?> system, ClusterAdmin cluster, ActorRef<SfuNode.Command> node, RoomDirectory rooms,
               ActorRef<Neighbourhoods.Command> neighbourhoods, NeighbourhoodDirectory directory, SfuPresence presence,
               String nodeId, JoinAuthenticator authenticator) {
        GraphqlCalls calls = new GraphqlCalls(system, node);
        GraphqlAccess access = new GraphqlAccess(calls::find, authenticator.mode() == AuthMode.DID
                ? session -> directory.policy(session.room.neighbourhood()).isMember(session.did)
                : null);
        // Nonces callNonce gave out that no callJoin, sfuSetConfig or setSfuPeer has used yet.
        SignedRequests signed = new SignedRequests(new NonceStore(NONCE_CAPACITY, NONCE_LIFETIME,
                () -> System.nanoTime() / 1_000_000));
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring();
        new RoomResolvers(system, cluster, rooms, access).wire(wiring);
        new CallResolvers(calls, access, signed, authenticator, directory).wire(wiring);
        new PolicyResolvers(system, neighbourhoods, directory, cluster, rooms, access, signed).wire(wiring);
        new PeerResolvers(system, node, directory, presence, nodeId).wire(wiring);
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(schemaText()),
                wiring.build());
        this.graphql = GraphQL.newGraphQL(schema).defaultDataFetcherExceptionHandler(GraphqlErrors::asError)
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
        Map<Object, Object> context = new HashMap<>();
        context.put(OPERATOR, operator);
        context.put(STREAMING, streaming);
        context.put(NONCES_ASKED, new AtomicInteger());
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
}
