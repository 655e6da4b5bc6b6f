package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.introspection.IntrospectionQuery;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.junit.jupiter.api.Test;

/** The request bounds against the node's own schema (no resolvers: refused requests never reach one). */
class GraphqlRequestLimitsTest {

    private final GraphQL graphql;

    GraphqlRequestLimitsTest() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/graphql/schema.graphqls")) {
            String schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            graphql = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(schema),
                    RuntimeWiring.newRuntimeWiring().build())).build();
        }
    }

    private ExecutionResult run(String query) {
        Map<Object, Object> context = new HashMap<>();
        GraphqlRequestLimits.addTo(context);
        return graphql.execute(ExecutionInput.newExecutionInput().query(query).graphQLContext(context).build());
    }

    @Test
    void aThousandAliasesOfCallNonceAreRefusedBeforeAnyResolverRuns() {
        StringBuilder query = new StringBuilder("{");
        for (int i = 0; i < 1000; i++) {
            query.append(" n").append(i).append(": callNonce");
        }
        ExecutionResult result = run(query.append(" }").toString());
        assertThat(result.getErrors()).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("exceeds maximum allowed " + GraphqlRequestLimits.MAX_FIELDS));
        assertThat((Object) result.getData()).isNull();
    }

    @Test
    void theStandardIntrospectionQueryFitsTheBounds() {
        assertThat(run(IntrospectionQuery.INTROSPECTION_QUERY).getErrors()).isEmpty();
    }

    @Test
    void aQueryOverTheCharacterBoundIsRefusedUnparsed() {
        String query = "{ callNonce " + " ".repeat(GraphqlRequestLimits.MAX_QUERY_CHARS) + "}";
        assertThat(GraphqlRequestLimits.refusal(query)).contains("longer than");
        assertThat(GraphqlRequestLimits.refusal("{ callNonce }")).isNull();
        assertThat(run(query).getErrors()).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("characters"));
    }
}
