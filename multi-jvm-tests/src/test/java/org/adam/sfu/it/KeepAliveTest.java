package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The protocol's keep-alive (docs/protocol.md: the node pings every 15 s and closes a socket
 * silent for 45 s), here at 1 s and 3 s: a client that sends nothing of its own but answers the
 * node's WebSocket pings (as every WebSocket stack does) stays connected.
 */
class KeepAliveTest {

    private static NodeProcess node;

    @BeforeAll
    static void start() throws Exception {
        node = NodeProcess.start("keepalive", 19190, 42190,
                "-Dsfu.signal.ping-interval=1s", "-Dsfu.signal.silence-timeout=3s");
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aClientAnsweringPingsOnlyIsNotClosedAsSilent() throws Exception {
        try (SignalClient client = SignalClient.connect(node.signalUrl())) {
            assertThat(client.next("hello")).isNotNull();
            client.send("{\"type\":\"join\",\"id\":\"j1\",\"neighbourhood\":\"neighbourhood://test\","
                    + "\"room\":\"quiet\",\"did\":\"did:key:z6MkQuiet\",\"name\":\"quiet\"}");
            assertThat(client.next("joined").path("id").asText()).isEqualTo("j1");
            Thread.sleep(7_000); // over twice the silence timeout, with only pongs going out

            assertThat(client.isClosed()).as("closed although it answered every ping").isFalse();
            client.send("{\"type\":\"ping\",\"id\":\"p1\"}");
            JsonNode pong = client.next("pong");
            assertThat(pong.path("id").asText()).isEqualTo("p1");
        }
    }
}
