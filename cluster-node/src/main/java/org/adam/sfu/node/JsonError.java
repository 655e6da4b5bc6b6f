package org.adam.sfu.node;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A refusal on the node's HTTP port, in the shape every error there takes:
 * `{"error": code, "message": text}`, answered before the request reaches any endpoint.
 */
final class JsonError {

    private JsonError() {
    }

    /** A response that also closes the connection (`Connection: close`). */
    static FullHttpResponse response(HttpResponseStatus status, String code, String message) {
        byte[] body = JsonNodeFactory.instance.objectNode().put("error", code).put("message", message).toString()
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(response, body.length);
        return response;
    }

    /**
     * Answers and closes the connection: what else the client sent on it (the rest of a body, a
     * pipelined request) is not read.
     */
    static void respondAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, String code, String message) {
        ctx.writeAndFlush(response(status, code, message)).addListener(ChannelFutureListener.CLOSE);
    }
}
