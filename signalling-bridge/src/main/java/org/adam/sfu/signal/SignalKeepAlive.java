package org.adam.sfu.signal;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a `/signal` connection does when its reader has been idle: a WebSocket is pinged, and
 * closed once silent for the silence timeout. Owned by one {@link SignalSession}; touched only on
 * its socket's event loop.
 */
final class SignalKeepAlive {

    /** The session's logger: its lines keep the name operators know. */
    private static final Logger LOG = LoggerFactory.getLogger(SignalSession.class);

    private final SignalSettings settings;
    private final SilenceWatch silence;

    SignalKeepAlive(SignalSettings settings) {
        this.settings = settings;
        this.silence = new SilenceWatch(settings.pingInterval(), settings.silenceTimeout());
    }

    /** @param upgraded whether the connection became a WebSocket */
    void onIdle(ChannelHandlerContext ctx, IdleStateEvent idle, boolean upgraded) {
        if (!upgraded) {
            // A plain HTTP connection (no WebSocket upgrade): closed once silent for the
            // silence timeout, not at the first ping interval, which would race clients
            // reusing a kept-alive connection.
            if (idle.state() == IdleState.READER_IDLE
                    && silence.onSilentInterval(idle.isFirst()) == SilenceWatch.Action.CLOSE) {
                ctx.close();
            }
        } else if (idle.state() == IdleState.READER_IDLE) {
            if (silence.onSilentInterval(idle.isFirst()) == SilenceWatch.Action.CLOSE) {
                LOG.info("closing /signal socket silent for {}", settings.silenceTimeout());
                ctx.writeAndFlush(new CloseWebSocketFrame(1001, "silent too long"))
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(new PingWebSocketFrame());
            }
        }
    }
}
