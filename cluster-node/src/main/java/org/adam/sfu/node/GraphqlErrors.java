package org.adam.sfu.node;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import graphql.GraphqlErrorBuilder;
import graphql.GraphqlErrorException;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;

/**
 * How the GraphQL API's errors reach the client: a message and `extensions.code`. Stateless;
 * called from whichever thread runs a resolver or completes its stage.
 */
final class GraphqlErrors {

    private GraphqlErrors() {
    }

    /** An error a resolver raises on purpose: its message and `extensions.code` go to the client. */
    static GraphqlErrorException error(String code, String message) {
        return GraphqlErrorException.newErrorException().message(message).extensions(Map.of("code", code)).build();
    }

    /**
     * Errors the resolvers raise on purpose go out as they are (message and `extensions.code`);
     * anything else is an `internal` error without the exception's details.
     */
    static CompletableFuture<DataFetcherExceptionHandlerResult> asError(
            DataFetcherExceptionHandlerParameters parameters) {
        Throwable failure = parameters.getException();
        while (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        GraphqlErrorBuilder<?> error = GraphqlErrorBuilder.newError(parameters.getDataFetchingEnvironment());
        if (failure instanceof GraphqlErrorException known) {
            error.message(known.getMessage()).extensions(known.getExtensions());
        } else if (failure instanceof TimeoutException) {
            error.message("the cluster did not answer in time").extensions(Map.of("code", "unavailable"));
        } else {
            error.message("internal error").extensions(Map.of("code", "internal"));
        }
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(error.build()).build());
    }
}
