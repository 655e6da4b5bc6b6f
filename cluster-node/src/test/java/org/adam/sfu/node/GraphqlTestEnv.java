package org.adam.sfu.node;

import java.util.HashMap;
import java.util.Map;

import graphql.GraphQLContext;
import graphql.execution.MergedField;
import graphql.language.Field;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingEnvironmentImpl;

/** A resolver's environment as graphql-java would hand it: a field, its arguments, the request's context. */
final class GraphqlTestEnv {

    private final Map<String, Object> arguments = new HashMap<>();
    private final Map<Object, Object> context = new HashMap<>();
    private final String field;

    private GraphqlTestEnv(String field) {
        this.field = field;
        context.put(GraphqlApi.OPERATOR, false);
        context.put(GraphqlApi.STREAMING, false);
    }

    static GraphqlTestEnv field(String name) {
        return new GraphqlTestEnv(name);
    }

    GraphqlTestEnv operator() {
        context.put(GraphqlApi.OPERATOR, true);
        return this;
    }

    GraphqlTestEnv streaming() {
        context.put(GraphqlApi.STREAMING, true);
        return this;
    }

    GraphqlTestEnv argument(String name, Object value) {
        arguments.put(name, value);
        return this;
    }

    DataFetchingEnvironment build() {
        return DataFetchingEnvironmentImpl.newDataFetchingEnvironment()
                .mergedField(MergedField.newMergedField(Field.newField(field).build()).build())
                .arguments(arguments)
                .graphQLContext(GraphQLContext.of(context))
                .build();
    }
}
