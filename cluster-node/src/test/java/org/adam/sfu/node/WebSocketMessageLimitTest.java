package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.junit.jupiter.api.Test;

class WebSocketMessageLimitTest {

    private static final int LIMIT = 1024;

    private static EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel(
                new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(LIMIT)
                        .closeOnProtocolViolation(false).build()),
                new WebSocketFrameAggregator(LIMIT),
                new WebSocketMessageLimit(LIMIT, "{\"type\":\"error\",\"code\":\"too-large\"}"));
        channel.pipeline().fireUserEventTriggered(
                new WebSocketServerProtocolHandler.HandshakeComplete("/signal", EmptyHttpHeaders.INSTANCE, null));
        return channel;
    }

    /** A masked client frame's header (mask key 0, so the payload goes as is). */
    private static ByteBuf header(boolean fin, int opcode, long length) {
        ByteBuf out = Unpooled.buffer();
        out.writeByte((fin ? 0x80 : 0) | opcode);
        if (length < 126) {
            out.writeByte(0x80 | (int) length);
        } else if (length < 65536) {
            out.writeByte(0x80 | 126).writeShort((int) length);
        } else {
            out.writeByte(0x80 | 127).writeLong(length);
        }
        return out.writeInt(0);
    }

    private static void assertExplainedAndClosed(EmbeddedChannel channel) {
        TextWebSocketFrame explanation = channel.readOutbound();
        assertThat(explanation.text()).contains("too-large");
        explanation.release();
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1009);
        close.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aFrameAnnouncingMoreThanTheLimitClosesFromItsHeader() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(header(true, 1, 1L << 30)); // 1 GiB announced, nothing of it sent
        assertThat((Object) channel.readInbound()).isNull();
        assertExplainedAndClosed(channel);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aFragmentedMessageClosesOnceItGrowsPastTheLimit() {
        EmbeddedChannel channel = channel();
        byte[] part = "x".repeat(600).getBytes(StandardCharsets.UTF_8);
        channel.writeInbound(header(false, 1, part.length).writeBytes(part));
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(header(true, 0, part.length).writeBytes(part));
        assertThat((Object) channel.readInbound()).isNull();
        assertExplainedAndClosed(channel);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aMessageAtTheLimitPasses() {
        EmbeddedChannel channel = channel();
        byte[] whole = "y".repeat(LIMIT).getBytes(StandardCharsets.UTF_8);
        channel.writeInbound(header(true, 1, whole.length).writeBytes(whole));
        TextWebSocketFrame frame = channel.readInbound();
        assertThat(frame.content().readableBytes()).isEqualTo(LIMIT);
        frame.release();
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.finish()).isFalse();
    }
}
