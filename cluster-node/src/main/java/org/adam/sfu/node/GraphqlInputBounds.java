package org.adam.sfu.node;

import java.util.List;
import java.util.Map;

import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import org.adam.sfu.signal.SignalSettings;

/**
 * Length bounds on every string argument of the GraphQL API, checked before the resolver runs:
 * so no DID is Base58-decoded, no room id base64-decoded and no SDP handed on before its size is
 * known to be sane. An argument this class does not name gets {@link #DEFAULT_MAX_CHARS}.
 */
final class GraphqlInputBounds extends SimplePerformantInstrumentation {

    static final int DEFAULT_MAX_CHARS = 1024;
    /** An Ed25519 did:key is 56 characters; room for other methods, not for a megabyte of Base58. */
    static final int MAX_DID_CHARS = 200;
    /** As a /signal frame: an SDP that would not fit in one is refused here too. */
    static final int MAX_SDP_CHARS = SignalSettings.PROTOCOL_MAX_FRAME_BYTES;
    /** Entries of a list argument (sfuSetMembers' members). */
    static final int MAX_LIST_ENTRIES = 4096;

    private static final Map<String, Integer> MAX_CHARS = Map.ofEntries(
            Map.entry("neighbourhoodUrl", 512),
            // A room's name (callJoin, sfuStartRoom: at most 256, checked there) or a room id
            // (base64url of neighbourhood and name).
            Map.entry("roomId", 2048),
            Map.entry("did", MAX_DID_CHARS),
            Map.entry("peer", MAX_DID_CHARS),
            Map.entry("members", MAX_DID_CHARS),
            Map.entry("name", 256),
            Map.entry("offer", MAX_SDP_CHARS),
            Map.entry("sdp", MAX_SDP_CHARS),
            Map.entry("config", 32 * 1024),
            // An Ed25519 signature is 86 characters of base64url.
            Map.entry("signature", 128),
            Map.entry("proof", 128),
            Map.entry("nonce", 64),
            Map.entry("sessionId", 128),
            Map.entry("sessionSecret", 128),
            Map.entry("quality", 16),
            Map.entry("trackId", 256));

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
                                                InstrumentationState state) {
        if (parameters.isTrivialDataFetcher()) {
            return fetcher;
        }
        return env -> {
            check(env.getArguments());
            return fetcher.get(env);
        };
    }

    /** @throws graphql.GraphqlErrorException `bad-request` naming the first argument over its bound */
    static void check(Map<String, Object> arguments) {
        for (Map.Entry<String, Object> argument : arguments.entrySet()) {
            String name = argument.getKey();
            int max = MAX_CHARS.getOrDefault(name, DEFAULT_MAX_CHARS);
            if (argument.getValue() instanceof String text) {
                checkLength(name, text, max);
            } else if (argument.getValue() instanceof List<?> list) {
                if (list.size() > MAX_LIST_ENTRIES) {
                    throw GraphqlErrors.error("bad-request", "argument '" + name + "' has more than "
                            + MAX_LIST_ENTRIES + " entries");
                }
                for (Object entry : list) {
                    if (entry instanceof String text) {
                        checkLength(name, text, max);
                    }
                }
            }
        }
    }

    private static void checkLength(String name, String text, int max) {
        if (text.length() > max) {
            throw GraphqlErrors.error("bad-request", "argument '" + name + "' is longer than " + max + " characters");
        }
    }
}
