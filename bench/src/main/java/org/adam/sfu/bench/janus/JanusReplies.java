package org.adam.sfu.bench.janus;

import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Janus's replies and events mean: success, an acknowledgement, an error of the core or of
 * a plugin, or a session Janus no longer knows. Stateless; called on the HTTP client's executor.
 */
final class JanusReplies {

    private JanusReplies() {
    }

    /** Completes {@code reply} with {@code event}, or fails it with the error the event carries. */
    static void complete(CompletableFuture<JanusEvent> reply, JanusEvent event) {
        if ("error".equals(event.janus())) {
            JsonNode error = event.raw().path("error");
            reply.completeExceptionally(new JanusException(error.path("code").asInt(), error.path("reason").asText(), false));
        } else if (event.isPluginError()) {
            reply.completeExceptionally(new JanusException(event.data().path("error_code").asInt(),
                    event.data().path("error").asText(), true));
        } else {
            reply.complete(event);
        }
    }

    static boolean isSessionGone(JsonNode reply) {
        return "error".equals(reply.path("janus").asText())
                && reply.path("error").path("code").asInt() == JanusException.NO_SUCH_SESSION;
    }

    static void requireSuccess(JsonNode reply) {
        if (!"success".equals(reply.path("janus").asText())) {
            throw failure(reply);
        }
    }

    static void requireAcknowledged(JsonNode reply) {
        String kind = reply.path("janus").asText();
        if (!"ack".equals(kind) && !"success".equals(kind)) {
            throw failure(reply);
        }
    }

    static JanusException failure(JsonNode reply) {
        JsonNode error = reply.path("error");
        return new JanusException(error.path("code").asInt(-1),
                error.path("reason").asText("unexpected reply " + reply), false);
    }
}
