package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class AllowedOriginsTest {

    @Test
    void aLoopbackNodeAllowsItsOwnPortUnderEveryLoopbackName() {
        AllowedOrigins origins = AllowedOrigins.forNode("127.0.0.1", "ws://127.0.0.1:8080/signal", List.of());
        assertThat(origins.allows("http://127.0.0.1:8080", 8080)).isTrue();
        assertThat(origins.allows("http://localhost:8080", 8080)).isTrue();
        assertThat(origins.allows("http://[::1]:8080", 8080)).isTrue();
        assertThat(origins.allows("https://LOCALHOST:8080", 8080)).isTrue();
        assertThat(origins.allows("http://127.0.0.1:3000", 8080)).as("another port is another origin").isFalse();
        assertThat(origins.allows("http://evil.example", 8080)).isFalse();
        assertThat(origins.allows("http://localhost.evil.example:8080", 8080)).isFalse();
        assertThat(origins.allows("null", 8080)).as("sandboxed frames and files").isFalse();
        assertThat(origins.allows("file://", 8080)).isFalse();
    }

    @Test
    void theOwnOriginFollowsThePortTheRequestCameIn() {
        AllowedOrigins origins = AllowedOrigins.forNode("127.0.0.1", "ws://127.0.0.1:0/signal", List.of());
        assertThat(origins.allows("http://127.0.0.1:41234", 41234)).isTrue();
        assertThat(origins.allows("http://127.0.0.1:41234", 41235)).isFalse();
    }

    @Test
    void aNodeOnAnAddressAllowsThatAddressOnly() {
        AllowedOrigins origins = AllowedOrigins.forNode("10.1.2.3", "ws://10.1.2.3:8080/signal", List.of());
        assertThat(origins.allows("http://10.1.2.3:8080", 8080)).isTrue();
        assertThat(origins.allows("http://localhost:8080", 8080)).isFalse();
    }

    @Test
    void thePublicSignalUrlAndConfiguredOriginsAreAllowed() {
        AllowedOrigins origins = AllowedOrigins.forNode("0.0.0.0", "wss://sfu.example.org/signal",
                List.of("https://app.example.org", "http://localhost:3000"));
        assertThat(origins.allows("https://sfu.example.org", 8080)).isTrue();
        assertThat(origins.allows("https://sfu.example.org:443", 8080)).isTrue();
        assertThat(origins.allows("http://sfu.example.org", 8080)).isFalse();
        assertThat(origins.allows("https://app.example.org", 8080)).isTrue();
        assertThat(origins.allows("http://localhost:3000", 8080)).isTrue();
        assertThat(origins.allows("http://localhost:8080", 8080)).as("a node on every address is on loopback too")
                .isTrue();
        assertThat(origins.allows("https://app.example.org.evil.example", 8080)).isFalse();
    }

    @Test
    void starAllowsEveryOrigin() {
        AllowedOrigins origins = AllowedOrigins.forNode("127.0.0.1", "ws://127.0.0.1:8080/signal", List.of("*"));
        assertThat(origins.allows("http://evil.example", 8080)).isTrue();
    }

    @Test
    void aConfiguredEntryThatIsNotAnOriginIsAnError() {
        assertThatThrownBy(() -> AllowedOrigins.forNode("127.0.0.1", "ws://127.0.0.1:8080/signal",
                List.of("https://app.example.org/path"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowed-origins");
        assertThatThrownBy(() -> AllowedOrigins.forNode("127.0.0.1", "ws://127.0.0.1:8080/signal",
                List.of("app.example.org"))).isInstanceOf(IllegalArgumentException.class);
    }
}
