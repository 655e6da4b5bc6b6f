package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class OperatorAccessTest {

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    @Test
    void onLoopbackWithoutAConfiguredTokenClientsThatAreNotPagesAreTheOperator() {
        OperatorAccess access = new OperatorAccess("generated", true);
        assertThat(access.allows(headers("Host", "127.0.0.1:8080"))).isTrue();
        assertThat(access.allows(headers("Host", "localhost:8080"))).isTrue();
        assertThat(access.allows(headers("Host", "[::1]:8080"))).isTrue();
        assertThat(access.allows(headers())).as("HTTP/1.0 without Host").isTrue();
    }

    @Test
    void aPageNeedsTheTokenEvenOnLoopback() {
        OperatorAccess access = new OperatorAccess("generated", true);
        assertThat(access.allows(headers("Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:8080"))).isFalse();
        assertThat(access.allows(headers("Host", "127.0.0.1:8080", "Origin", "http://evil.example"))).isFalse();
        assertThat(access.allows(headers("Host", "evil.example:8080"))).as("a rebound DNS name").isFalse();
        assertThat(access.allows(headers("Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:8080",
                "Authorization", "Bearer generated"))).isTrue();
    }

    @Test
    void withAConfiguredTokenOnlyTheTokenCounts() {
        OperatorAccess access = new OperatorAccess("secret", false);
        assertThat(access.allows(headers("Host", "127.0.0.1:8080"))).isFalse();
        assertThat(access.allows(headers("Authorization", "Bearer secret"))).isTrue();
        assertThat(access.allows(headers("Authorization", "Bearer secret2"))).isFalse();
        assertThat(access.allows(headers("Authorization", "secret"))).isFalse();
        assertThat(access.allowsAuthorization("Bearer secret")).isTrue();
        assertThat(access.allowsAuthorization(null)).isFalse();
    }
}
