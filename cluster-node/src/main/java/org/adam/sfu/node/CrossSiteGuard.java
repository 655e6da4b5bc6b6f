package org.adam.sfu.node;

import java.net.InetSocketAddress;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Keeps web pages of other sites from acting through a user's browser: every WebSocket upgrade
 * and every state-changing request (any method but GET, HEAD and OPTIONS) whose `Origin` is not
 * allowed gets 403, and a POST body must be `application/json`, so the bodies a page may send
 * cross-site without a CORS preflight (forms, multipart, `text/plain`) get 415. Requests without
 * an `Origin` do not come from a page and pass the origin check.
 */
@ChannelHandler.Sharable
final class CrossSiteGuard extends ChannelInboundHandlerAdapter {

    private final AllowedOrigins origins;

    CrossSiteGuard(AllowedOrigins origins) {
        this.origins = origins;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request && request.decoderResult().isSuccess()) {
            String refusedOrigin = refusedOrigin(ctx, request);
            if (refusedOrigin != null) {
                ReferenceCountUtil.release(request);
                JsonError.respondAndClose(ctx, HttpResponseStatus.FORBIDDEN, "forbidden-origin",
                        "requests from pages at " + refusedOrigin + " are not accepted (sfu.http.allowed-origins)");
                return;
            }
            if (request.method().equals(HttpMethod.POST) && !isJsonOrEmpty(request)) {
                ReferenceCountUtil.release(request);
                JsonError.respondAndClose(ctx, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                        "a POST body must be application/json");
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** @return the first `Origin` this request may not come from, or null */
    private String refusedOrigin(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpMethod method = request.method();
        boolean safe = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)
                || method.equals(HttpMethod.OPTIONS);
        if (safe && !request.headers().contains(HttpHeaderNames.UPGRADE)) {
            return null;
        }
        int port = ctx.channel().localAddress() instanceof InetSocketAddress local ? local.getPort() : -1;
        for (String origin : request.headers().getAll(HttpHeaderNames.ORIGIN)) {
            if (!origins.allows(origin, port)) {
                return origin;
            }
        }
        return null;
    }

    private static boolean isJsonOrEmpty(FullHttpRequest request) {
        CharSequence mimeType = HttpUtil.getMimeType(request);
        if (mimeType == null) {
            return !request.content().isReadable();
        }
        return HttpHeaderValues.APPLICATION_JSON.contentEqualsIgnoreCase(mimeType.toString().trim());
    }
}
