package org.adam.sfu.node;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a WebSocket whose peer sends a message over the limit, without reading it: the frame
 * decoder refuses a frame from its header (payload length over the limit) and the frame
 * aggregator a fragmented message as soon as it grows past it; both arrive here as exceptions,
 * and the socket is closed with 1009 (Message Too Big), after an endpoint's own error frame if it
 * has one. Other protocol violations close with their own status.
 */
final class WebSocketMessageLimit extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketMessageLimit.class);

    private final int maxMessageBytes;
    /** A text frame sent before the close (the endpoint's error message), or null. */
    private final String explanation;
    private boolean webSocket;

    WebSocketMessageLimit(int maxMessageBytes, String explanation) {
        this.maxMessageBytes = maxMessageBytes;
        this.explanation = explanation;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            webSocket = true;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!webSocket) {
            ctx.fireExceptionCaught(cause);
        } else if (cause instanceof CorruptedWebSocketFrameException corrupted
                && !corrupted.closeStatus().equals(WebSocketCloseStatus.MESSAGE_TOO_BIG)) {
            LOG.info("closing WebSocket from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            close(ctx, corrupted.closeStatus(), cause.getMessage());
        } else if (cause instanceof CorruptedWebSocketFrameException || cause instanceof TooLongFrameException) {
            LOG.info("closing WebSocket from {}: a message over {} bytes", ctx.channel().remoteAddress(),
                    maxMessageBytes);
            if (explanation != null && ctx.channel().isActive()) {
                ctx.write(new TextWebSocketFrame(explanation));
            }
            close(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "messages are limited to " + maxMessageBytes + " bytes");
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    private static void close(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
