package org.adam.sfu.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.buffer.Unpooled;
import org.adam.sfu.room.ClientEvent;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.signal.auth.AuthMode;
import org.adam.sfu.signal.auth.JoinAuthenticator;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The `/signal` frame handler on an EmbeddedChannel, its node a test probe. */
class SignalSessionTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final int MAX_FRAME = 512;

    private final ObjectMapper json = new ObjectMapper();
    private final TestProbe<SfuNode.Command> node = KIT.createTestProbe();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    /** A socket whose WebSocket handshake is done, its hello read. */
    private EmbeddedChannel socket() throws Exception {
        SignalSettings settings = new SignalSettings("node-a", MAX_FRAME, Duration.ofSeconds(15),
                Duration.ofSeconds(45), Duration.ofSeconds(5));
        SignalSession session = new SignalSession(settings, new ProtocolCodec(),
                new JoinAuthenticator(AuthMode.OPEN, Runnable::run), (neighbourhood, did) -> true, node.getRef(),
                KIT.system());
        EmbeddedChannel channel = new EmbeddedChannel(session);
        channel.pipeline().fireUserEventTriggered(
                new WebSocketServerProtocolHandler.HandshakeComplete("/signal", EmptyHttpHeaders.INSTANCE, null));
        JsonNode hello = next(channel);
        assertThat(hello.path("type").asText()).isEqualTo("hello");
        assertThat(hello.path("node").asText()).isEqualTo("node-a");
        assertThat(hello.path("nonce").asText()).hasSize(43);
        return channel;
    }

    private JsonNode next(EmbeddedChannel channel) throws Exception {
        channel.runPendingTasks();
        TextWebSocketFrame frame = channel.readOutbound();
        assertThat(frame).as("a frame to the client").isNotNull();
        try {
            return json.readTree(frame.text());
        } finally {
            frame.release();
        }
    }

    private static void send(EmbeddedChannel channel, String text) {
        channel.writeInbound(new TextWebSocketFrame(text));
        channel.runPendingTasks();
    }

    @Test
    void aValidJoinGoesToTheNodeWithALinkBackToTheSocket() throws Exception {
        EmbeddedChannel channel = socket();
        send(channel, "{\"type\":\"join\",\"id\":\"j1\",\"neighbourhood\":\"https://n.example\",\"room\":\"lobby\","
                + "\"did\":\"did:key:z6Mk\",\"name\":\"Alice\"}");
        SfuNode.Join join = node.expectMessageClass(SfuNode.Join.class);
        assertThat(join.request()).isEqualTo(new SfuNode.JoinRequest("j1", "https://n.example", "lobby",
                "did:key:z6Mk", "Alice", true));
        join.link().send(new ClientEvent.Pong("from-the-room"));
        JsonNode relayed = next(channel);
        assertThat(relayed.path("type").asText()).isEqualTo("pong");
        assertThat(relayed.path("id").asText()).isEqualTo("from-the-room");
        // While the node has not answered, the socket is joining: a second join is refused.
        send(channel, "{\"type\":\"join\",\"id\":\"j2\",\"neighbourhood\":\"https://n.example\",\"room\":\"lobby\","
                + "\"did\":\"did:key:z6Mk\"}");
        JsonNode refused = next(channel);
        assertThat(refused.path("code").asText()).isEqualTo(ErrorCodes.BAD_REQUEST);
        assertThat(refused.path("id").asText()).isEqualTo("j2");
        node.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void malformedJsonIsAnsweredWithAProtocolError() throws Exception {
        EmbeddedChannel channel = socket();
        send(channel, "{\"type\": \"join\"");
        JsonNode error = next(channel);
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("code").asText()).isEqualTo(ErrorCodes.BAD_REQUEST);
        assertThat(error.path("message").asText()).startsWith("malformed JSON");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aFrameOverTheLimitIsRefusedUnread() throws Exception {
        EmbeddedChannel channel = socket();
        send(channel, "{\"type\":\"ping\",\"id\":\"" + "x".repeat(MAX_FRAME) + "\"}");
        JsonNode error = next(channel);
        assertThat(error.path("code").asText()).isEqualTo(ErrorCodes.TOO_LARGE);
        assertThat(error.path("message").asText()).isEqualTo("frames are limited to " + MAX_FRAME + " bytes");
        send(channel, "{\"type\":\"ping\",\"id\":\"p1\"}");
        assertThat(next(channel).path("type").asText()).as("the socket still serves").isEqualTo("pong");
    }

    @Test
    void requestsBeforeAJoinAndBinaryFramesAreRefused() throws Exception {
        EmbeddedChannel channel = socket();
        send(channel, "{\"type\":\"leave\",\"id\":\"l1\"}");
        assertThat(next(channel).path("code").asText()).isEqualTo(ErrorCodes.NOT_JOINED);
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1})));
        assertThat(next(channel).path("code").asText()).isEqualTo(ErrorCodes.BAD_REQUEST);
    }
}
