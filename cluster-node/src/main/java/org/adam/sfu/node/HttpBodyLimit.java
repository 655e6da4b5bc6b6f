package org.adam.sfu.node;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Reads HTTP request bodies whole, up to a bound: a body announced (Content-Length, or
 * `Expect: 100-continue`) or grown (chunked) past it is answered 413 in JSON and the connection
 * closed, without reading the rest.
 */
final class HttpBodyLimit extends HttpObjectAggregator {

    HttpBodyLimit(int maxBodyBytes) {
        super(maxBodyBytes, true);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse refusal
                && refusal.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
            refusal.release();
            return tooLarge(maxContentLength);
        }
        return response;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (oversized instanceof HttpRequest) {
            ctx.writeAndFlush(tooLarge(maxContentLength())).addListener(ChannelFutureListener.CLOSE);
        } else {
            super.handleOversizedMessage(ctx, oversized);
        }
    }

    private static FullHttpResponse tooLarge(int maxContentLength) {
        return JsonError.response(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too-large",
                "request bodies are limited to " + maxContentLength + " bytes");
    }
}
