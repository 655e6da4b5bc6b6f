package org.adam.sfu.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;

/** Idle events (as IdleStateHandler fires them every ping interval) fed straight to the keep-alive. */
class SignalKeepAliveTest {

    private static EmbeddedChannel channel(boolean upgraded) {
        SignalKeepAlive keepAlive = new SignalKeepAlive(new SignalSettings("node-a", 1024, Duration.ofSeconds(15),
                Duration.ofSeconds(45), Duration.ofSeconds(5)));
        return new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                keepAlive.onIdle(ctx, (IdleStateEvent) event, upgraded);
            }
        });
    }

    @Test
    void aSilentWebSocketIsPingedThenClosedWith1001() {
        EmbeddedChannel channel = channel(true);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertThat((Object) channel.readOutbound()).isInstanceOf(PingWebSocketFrame.class);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat((Object) channel.readOutbound()).isInstanceOf(PingWebSocketFrame.class);
        assertThat(channel.isOpen()).isTrue();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1001);
        close.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aSilentPlainHttpConnectionIsClosedWithoutPings() {
        EmbeddedChannel channel = channel(false);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(channel.isOpen()).isTrue();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void writerIdlenessIsNotSilence() {
        EmbeddedChannel channel = channel(true);
        for (int i = 0; i < 5; i++) {
            channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        }
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }
}
