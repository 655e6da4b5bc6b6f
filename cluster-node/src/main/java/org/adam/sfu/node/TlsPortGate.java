package org.adam.sfu.node;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First on a connection to a TLS port: looks at the first five bytes. A TLS record puts the
 * newest {@link ServerTls} context's handler in its place (with {@link TlsFailureLog} behind it);
 * anything else, typically a plain `http://` request, gets a plain-text `400` saying the port
 * speaks TLS, and the connection closes without a byte of it parsed. A peer that sends fewer than
 * five bytes and waits is closed after {@code decideWithin}.
 */
final class TlsPortGate extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(TlsPortGate.class);
    /** The length of a TLS record header: content type, version, length. */
    private static final int RECORD_HEADER_BYTES = 5;
    private static final byte[] TLS_REQUIRED = plainResponse();

    private final ServerTls tls;
    private final long decideWithinMillis;
    private ScheduledFuture<?> deadline;
    /** Answered `400`: what else comes before the close is dropped, never parsed as HTTP. */
    private boolean refused;

    TlsPortGate(ServerTls tls, Duration decideWithin) {
        this.tls = tls;
        this.decideWithinMillis = decideWithin.toMillis();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            if (ctx.channel().isActive()) {
                LOG.info("closing connection from {}: no TLS record within {} ms", ctx.channel().remoteAddress(),
                        decideWithinMillis);
                ctx.close();
            }
        }, decideWithinMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        deadline.cancel(false);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < RECORD_HEADER_BYTES) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            SslHandler ssl = tls.context().newHandler(ctx.alloc());
            ctx.pipeline().addAfter(ctx.name(), "tls-failures", new TlsFailureLog(ssl));
            // What this decoder holds goes on to the handler that replaces it.
            ctx.pipeline().replace(this, "tls", ssl);
            return;
        }
        refused = true;
        deadline.cancel(false);
        in.skipBytes(in.readableBytes());
        ctx.channel().config().setAutoRead(false);
        LOG.info("closing connection from {}: not TLS on the TLS port (a plain http:// request?)",
                ctx.channel().remoteAddress());
        ctx.writeAndFlush(Unpooled.wrappedBuffer(TLS_REQUIRED)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Written below the HTTP codec, so by hand; the shape of every refusal on the port (JsonError). */
    private static byte[] plainResponse() {
        String body = "{\"error\":\"tls-required\","
                + "\"message\":\"this port speaks TLS: use https:// (wss:// for WebSockets)\"}";
        return ("HTTP/1.1 400 Bad Request\r\n"
                + "Content-Type: application/json\r\n"
                + "Cache-Control: no-cache\r\n"
                + "Connection: close\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }
}
