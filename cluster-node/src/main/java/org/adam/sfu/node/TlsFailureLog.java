package org.adam.sfu.node;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right behind the {@link SslHandler}: a failed handshake (a client that does not trust the
 * certificate, a scanner, a handshake that timed out) or a broken record later is one log line and
 * a closed connection, not a stack trace from whichever endpoint handler would see it next.
 */
final class TlsFailureLog extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(TlsFailureLog.class);

    private final SslHandler ssl;

    TlsFailureLog(SslHandler ssl) {
        this.ssl = ssl;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            // A peer that closes mid-handshake is often one that does not trust the certificate
            // and says so without an alert (the JDK's HttpClient does).
            String why = done.cause() instanceof java.nio.channels.ClosedChannelException
                    ? "the peer closed the connection (does it trust the certificate?)" : reason(done.cause());
            LOG.info("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), why);
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!isTls(cause)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (ssl.handshakeFuture().isSuccess()) {
            LOG.info("closing TLS connection from {}: {}", ctx.channel().remoteAddress(), reason(cause));
        } // else the failed handshake's event said it
        ctx.close();
    }

    private static boolean isTls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static String reason(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
