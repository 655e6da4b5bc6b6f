package org.adam.sfu.bench.janus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

/** One JSON request to the Janus HTTP API, asynchronous on the {@link HttpClient}'s executor. */
final class JanusHttp {

    private JanusHttp() {
    }

    /**
     * POSTs {@code body}; completes with the JSON answer, or fails on any HTTP status but 200 and on
     * an answer over {@link BoundedBody#MAX_BYTES}.
     */
    static CompletableFuture<JsonNode> post(HttpClient http, URI uri, JsonNode body, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return http.sendAsync(request, BoundedBody.upTo(BoundedBody.MAX_BYTES)).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new UncheckedIOException(new IOException(
                        "Janus HTTP " + response.statusCode() + " for " + uri + ": " + response.body()));
            }
            try {
                return JanusSession.JSON.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
