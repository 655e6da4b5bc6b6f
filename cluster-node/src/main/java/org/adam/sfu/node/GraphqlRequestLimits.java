package org.adam.sfu.node;

import java.util.Map;

import graphql.parser.ParserOptions;
import graphql.validation.QueryComplexityLimits;

/**
 * What one GraphQL request may ask of the node: the length of its text, how many fields it
 * selects (aliases count, so `{a: callNonce b: callNonce ...}` cannot fan one request out into
 * thousands of resolver calls) and how deeply they nest. The field and depth bounds let the
 * standard introspection query through.
 */
final class GraphqlRequestLimits {

    /** As the HTTP body limit: over WebSocket a query is no longer than over HTTP. */
    static final int MAX_QUERY_CHARS = 64 * 1024;
    static final int MAX_FIELDS = 200;
    static final int MAX_DEPTH = 15;

    private static final QueryComplexityLimits COMPLEXITY = QueryComplexityLimits.newLimits()
            .maxFieldsCount(MAX_FIELDS).maxDepth(MAX_DEPTH).build();
    private static final ParserOptions PARSER = ParserOptions.getDefaultOperationParserOptions()
            .transform(options -> options.maxCharacters(MAX_QUERY_CHARS).maxTokens(10_000));

    private GraphqlRequestLimits() {
    }

    /** Puts the parser's and the validator's bounds into a request's GraphQL context. */
    static void addTo(Map<Object, Object> context) {
        context.put(ParserOptions.class, PARSER);
        context.put(QueryComplexityLimits.KEY, COMPLEXITY);
    }

    /** Why {@code query} is refused before it is parsed, or null when its length is fine. */
    static String refusal(String query) {
        if (query.length() > MAX_QUERY_CHARS) {
            return "the query is longer than " + MAX_QUERY_CHARS + " characters (pass SDP and other long values"
                    + " as variables)";
        }
        return null;
    }
}
