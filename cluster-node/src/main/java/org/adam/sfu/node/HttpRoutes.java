package org.adam.sfu.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Plain HTTP on the node's port: health, the web client's static files, and JSON errors. The
 * `/signal` upgrade is taken by the WebSocket handler before requests reach this one.
 */
@ChannelHandler.Sharable
final class HttpRoutes extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "ico", "image/x-icon",
            "json", "application/json");

    private final ObjectMapper json = new ObjectMapper();
    private final String nodeId;
    private final AdminApi admin;
    private final GraphqlApi graphql;
    private final OperatorAccess operator;
    private final NodeMetrics metrics;

    HttpRoutes(String nodeId, AdminApi admin, GraphqlApi graphql, OperatorAccess operator, NodeMetrics metrics) {
        this.nodeId = nodeId;
        this.admin = admin;
        this.graphql = graphql;
        this.operator = operator;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            refuseMalformed(ctx, request.decoderResult().cause());
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (path.equals("/graphql")) {
            serveGraphql(ctx, request);
            return;
        }
        if (path.startsWith("/admin/") && !operator.allows(request.headers())) {
            respondJson(ctx, request, HttpResponseStatus.UNAUTHORIZED,
                    error("unauthorized", "the admin endpoints need the node's bearer token"));
            return;
        }
        var adminResponse = admin.handle(request.method(), path);
        if (adminResponse != null) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            adminResponse.whenComplete((response, failure) -> ctx.executor().execute(() -> {
                if (failure != null) {
                    respondJson(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE,
                            error("unavailable", "the cluster did not answer in time: " + failure.getMessage()));
                } else {
                    respondJson(ctx, keepAlive, response.status(), response.body());
                }
            }));
            return;
        }
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            respondJson(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, error("method-not-allowed",
                    request.method() + " is not served at " + path));
            return;
        }
        if (path.equals("/healthz") || path.equals("/readyz")) {
            ObjectNode body = json.createObjectNode().put("status", "ok").put("node", nodeId);
            respondJson(ctx, request, HttpResponseStatus.OK, body);
            return;
        }
        if (path.equals("/metrics")) {
            respond(ctx, request, HttpResponseStatus.OK, metrics.scrape().getBytes(StandardCharsets.UTF_8),
                    "text/plain; version=0.0.4; charset=utf-8");
            return;
        }
        if (path.equals("/favicon.ico")) {
            respond(ctx, request, HttpResponseStatus.NO_CONTENT, new byte[0], "image/x-icon");
            return;
        }
        if (path.equals("/signal")) {
            respondJson(ctx, request, HttpResponseStatus.BAD_REQUEST,
                    error("bad-request", "/signal is a WebSocket endpoint: send an Upgrade request"));
            return;
        }
        String file = path.equals("/") ? "index.html" : path.substring(1);
        byte[] content = file.contains("..") ? null : readResource("web/" + file);
        if (content == null) {
            respondJson(ctx, request, HttpResponseStatus.NOT_FOUND, error("not-found", "nothing at " + path));
            return;
        }
        String extension = file.substring(file.lastIndexOf('.') + 1);
        respond(ctx, request, HttpResponseStatus.OK, content,
                CONTENT_TYPES.getOrDefault(extension, "application/octet-stream"));
    }

    /** GraphQL over HTTP: POST {query, variables?, operationName?}; the result is always JSON. */
    private void serveGraphql(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.method().equals(HttpMethod.POST)) {
            respondJson(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    error("method-not-allowed", "/graphql takes POST (WebSocket subscriptions come later)"));
            return;
        }
        com.fasterxml.jackson.databind.JsonNode body;
        try {
            body = json.readTree(request.content().toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject() || !body.path("query").isTextual()) {
            respondJson(ctx, request, HttpResponseStatus.BAD_REQUEST,
                    error("bad-request", "the body must be JSON with a query string"));
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        graphql.execute(body, operator.allows(request.headers())).whenComplete((result, failure) -> ctx.executor().execute(() -> {
            if (failure != null) {
                respondJson(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        error("internal", "the query failed: " + failure.getMessage()));
            } else {
                respondJson(ctx, keepAlive, HttpResponseStatus.OK, result);
            }
        }));
    }

    /** A request the decoder could not read whole: answered, and the connection closed. */
    private static void refuseMalformed(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            JsonError.respondAndClose(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers-too-large",
                    cause.getMessage());
        } else if (cause instanceof TooLongHttpLineException) {
            JsonError.respondAndClose(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri-too-long", cause.getMessage());
        } else {
            JsonError.respondAndClose(ctx, HttpResponseStatus.BAD_REQUEST, "bad-request",
                    "not a valid HTTP request: " + cause.getMessage());
        }
    }

    private ObjectNode error(String code, String message) {
        return json.createObjectNode().put("error", code).put("message", message);
    }

    private void respondJson(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                             ObjectNode body) {
        respondJson(ctx, HttpUtil.isKeepAlive(request), status, body);
    }

    private void respondJson(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                             ObjectNode body) {
        respond(ctx, keepAlive, status, body.toString().getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                                byte[] body, String contentType) {
        respond(ctx, HttpUtil.isKeepAlive(request), status, body, contentType);
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                                byte[] body, String contentType) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpUtil.setContentLength(response, body.length);
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static byte[] readResource(String name) {
        try (InputStream in = HttpRoutes.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
