package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class CrossSiteGuardTest {

    private final AllowedOrigins origins = AllowedOrigins.forNode("127.0.0.1", "ws://127.0.0.1:8080/signal",
            List.of("https://app.example.org"));

    private static FullHttpRequest request(HttpMethod method, String uri, String body, String... headers) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    /** The status the guard answered with, or 0 when it let the request through. */
    private int statusFor(FullHttpRequest request) {
        EmbeddedChannel channel = new EmbeddedChannel(new CrossSiteGuard(origins));
        channel.writeInbound(request);
        FullHttpRequest passed = channel.readInbound();
        FullHttpResponse answer = channel.readOutbound();
        int status = 0;
        if (passed != null) {
            passed.release();
            assertThat(answer).isNull();
            assertThat(channel.isOpen()).isTrue();
        } else {
            status = answer.status().code();
            assertThat(answer.headers().get("content-type")).isEqualTo("application/json");
            assertThat(answer.content().toString(StandardCharsets.UTF_8)).contains("\"error\"");
            answer.release();
            assertThat(channel.isOpen()).as("closed after a refusal").isFalse();
        }
        assertThat(channel.finish()).isFalse();
        return status;
    }

    @Test
    void refusesStateChangingRequestsAndUpgradesFromOtherOrigins() {
        assertThat(statusFor(request(HttpMethod.POST, "/graphql", "{}", "Content-Type", "application/json",
                "Origin", "http://evil.example"))).isEqualTo(403);
        assertThat(statusFor(request(HttpMethod.POST, "/admin/nodes/a/drain", "", "Origin", "http://evil.example")))
                .isEqualTo(403);
        assertThat(statusFor(request(HttpMethod.GET, "/signal", "", "Upgrade", "websocket",
                "Connection", "Upgrade", "Origin", "http://evil.example"))).isEqualTo(403);
        assertThat(statusFor(request(HttpMethod.GET, "/signal", "", "Upgrade", "websocket",
                "Origin", "https://app.example.org", "Origin", "http://evil.example")))
                .as("every Origin must be allowed").isEqualTo(403);
    }

    @Test
    void letsReadsAllowedOriginsAndClientsWithoutOriginThrough() {
        assertThat(statusFor(request(HttpMethod.GET, "/admin/rooms", "", "Origin", "http://evil.example")))
                .as("a read changes nothing; a page cannot read the answer without CORS").isZero();
        assertThat(statusFor(request(HttpMethod.GET, "/signal", "", "Upgrade", "websocket",
                "Origin", "https://app.example.org"))).isZero();
        assertThat(statusFor(request(HttpMethod.GET, "/signal", "", "Upgrade", "websocket"))).isZero();
        assertThat(statusFor(request(HttpMethod.POST, "/graphql", "{}",
                "Content-Type", "application/json; charset=utf-8", "Origin", "https://app.example.org"))).isZero();
        assertThat(statusFor(request(HttpMethod.POST, "/admin/nodes/a/drain", ""))).as("an empty POST").isZero();
    }

    @Test
    void refusesPostBodiesThatAreNotJson() {
        assertThat(statusFor(request(HttpMethod.POST, "/graphql", "{}", "Content-Type", "text/plain"))).isEqualTo(415);
        assertThat(statusFor(request(HttpMethod.POST, "/graphql", "query=x",
                "Content-Type", "application/x-www-form-urlencoded"))).isEqualTo(415);
        assertThat(statusFor(request(HttpMethod.POST, "/graphql", "--b--",
                "Content-Type", "multipart/form-data; boundary=b"))).isEqualTo(415);
        assertThat(statusFor(request(HttpMethod.POST, "/graphql", "{}"))).as("a body without a type").isEqualTo(415);
        assertThat(statusFor(request(HttpMethod.POST, "/admin/nodes/a/drain", "",
                "Content-Type", "application/x-www-form-urlencoded"))).as("an empty form").isEqualTo(415);
    }
}
