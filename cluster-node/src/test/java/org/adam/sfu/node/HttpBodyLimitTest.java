package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import org.junit.jupiter.api.Test;

class HttpBodyLimitTest {

    private static String response(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        ByteBuf bytes;
        while ((bytes = channel.readOutbound()) != null) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.release();
        }
        return out.toString();
    }

    @Test
    void aBodyAnnouncedOverTheLimitIsRefusedFromItsHeaders() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new HttpBodyLimit(1024));
        channel.writeInbound(Unpooled.copiedBuffer("POST /graphql HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 1048576\r\n\r\n", StandardCharsets.US_ASCII));
        assertThat((Object) channel.readInbound()).isNull();
        String answer = response(channel);
        assertThat(answer).startsWith("HTTP/1.1 413").contains("application/json").contains("\"error\":\"too-large\"");
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aChunkedBodyGrowingPastTheLimitIsRefused() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new HttpBodyLimit(1024));
        channel.writeInbound(Unpooled.copiedBuffer("POST /graphql HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "300\r\n" + "x".repeat(0x300) + "\r\n" + "300\r\n" + "x".repeat(0x300) + "\r\n",
                StandardCharsets.US_ASCII));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(response(channel)).startsWith("HTTP/1.1 413").contains("\"error\":\"too-large\"");
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aBodyUnderTheLimitIsReadWhole() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new HttpBodyLimit(1024));
        channel.writeInbound(Unpooled.copiedBuffer("POST /graphql HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", StandardCharsets.US_ASCII));
        FullHttpRequest request = channel.readInbound();
        assertThat(request.content().toString(StandardCharsets.UTF_8)).isEqualTo("{}");
        request.release();
        assertThat(channel.finish()).isFalse();
    }
}
