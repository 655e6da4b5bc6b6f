package org.adam.sfu.bench.janus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A JSON POST to Janus: the body goes out as JSON, a 200's body comes back parsed, any other status fails. */
class JanusHttpTest {

    private HttpServer server;
    private final AtomicReference<String> received = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String answer = "{\"janus\":\"success\"}";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/janus", exchange -> {
            received.set(exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI api() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/janus");
    }

    @Test
    void theAnswerOfA200IsParsed() throws Exception {
        var reply = JanusHttp.post(HttpClient.newHttpClient(), api(), JanusSession.message("keepalive"),
                Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        assertThat(reply.path("janus").asText()).isEqualTo("success");
        assertThat(received.get()).startsWith("application/json {\"janus\":\"keepalive\",\"transaction\":\"t");
    }

    @Test
    void anyOtherStatusFailsWithIt() {
        status = 503;
        answer = "busy";
        assertThatThrownBy(() -> JanusHttp.post(HttpClient.newHttpClient(), api(), JanusSession.message("keepalive"),
                Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("Janus HTTP 503");
    }

    @Test
    void anAnswerOverTheLimitFailsUnread() {
        answer = "{\"janus\":\"" + "x".repeat(BoundedBody.MAX_BYTES) + "\"}";
        assertThatThrownBy(() -> JanusHttp.post(HttpClient.newHttpClient(), api(), JanusSession.message("keepalive"),
                Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("answer over " + BoundedBody.MAX_BYTES);
    }
}
