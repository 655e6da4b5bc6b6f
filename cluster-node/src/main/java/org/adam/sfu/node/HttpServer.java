package org.adam.sfu.node;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import org.adam.sfu.signal.SignalSession;
import org.adam.sfu.signal.SignalSettings;

/** The node's HTTP port: `/signal` WebSocket, health, and the web client. */
final class HttpServer implements AutoCloseable {

    /** Request bodies (GraphQL, with SDP in `callJoin`) are read whole up to this. */
    private static final int MAX_BODY_BYTES = 64 * 1024;
    /** Netty's defaults, stated: a longer request line is answered 414, longer headers 431. */
    private static final int MAX_REQUEST_LINE_BYTES = 4096;
    private static final int MAX_HEADER_BYTES = 8192;
    /**
     * Past the high-water mark of bytes waiting to go out, a connection is unwritable and the
     * node stops reading it; once back under the low mark it reads again (see SlowReaderGuard).
     */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
    /** A connection unwritable this long is closed: a browser on a slow link drains 1 MiB sooner. */
    private static final Duration STALL = Duration.ofSeconds(10);
    /** ... and at once if what waits for it passes this, whatever the node keeps sending. */
    private static final long MAX_PENDING_BYTES = 4L * 1024 * 1024;
    /** On a TLS port a connection must begin its handshake within this; SslHandler then gives it 10 s. */
    private static final Duration FIRST_RECORD = Duration.ofSeconds(10);

    private final EventLoopGroup group;
    private final Channel channel;

    private HttpServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * WebSocket messages on every endpoint are bounded by {@code signal.maxFrameBytes()}: a frame
     * announcing more, or a fragmented message growing past it, closes the socket (1009).
     *
     * @param tls the port's TLS context, or null for plain HTTP
     */
    static HttpServer start(String host, int port, ServerTls tls, String nodeId, SignalSettings signal, AdminApi admin,
                            GraphqlApi graphql, OperatorAccess operator, AllowedOrigins origins, NodeMetrics metrics,
                            Supplier<SignalSession> sessions, Supplier<BridgeSession> bridges)
            throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        HttpRoutes routes = new HttpRoutes(nodeId, admin, graphql, operator, metrics);
        CrossSiteGuard crossSite = new CrossSiteGuard(origins);
        int maxMessage = signal.maxFrameBytes();
        WebSocketServerProtocolConfig wsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/signal")
                .checkStartsWith(false)
                .handleCloseFrames(true)
                // Pongs answer the node's pings: they must reach the idle handler to count as
                // hearing from the client (Netty drops them by default).
                .dropPongFrames(false)
                .decoderConfig(decoderConfig(maxMessage))
                .build();
        WebSocketServerProtocolConfig graphqlWsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/graphql")
                .subprotocols(GraphqlWsSession.SUBPROTOCOL)
                .handleCloseFrames(true)
                .decoderConfig(decoderConfig(maxMessage))
                .build();
        WebSocketServerProtocolConfig bridgeWsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/bridge")
                .handleCloseFrames(true)
                .decoderConfig(decoderConfig(maxMessage))
                .build();
        // /signal and /bridge explain in their protocols' error frame why the socket closes.
        String tooLarge = JsonNodeFactory.instance.objectNode().put("type", "error").put("code", "too-large")
                .put("message", "messages are limited to " + maxMessage + " bytes; closing").toString();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new SlowReaderGuard(STALL, MAX_PENDING_BYTES))
                                .addLast(new HttpServerCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
                                        .setMaxHeaderSize(MAX_HEADER_BYTES)))
                                .addLast(new HttpBodyLimit(MAX_BODY_BYTES))
                                .addLast(crossSite)
                                .addLast(new OtherWebSockets(graphqlWsConfig, bridgeWsConfig, graphql, operator, bridges,
                                        maxMessage, tooLarge))
                                .addLast(SIGNAL_WS, new WebSocketServerProtocolHandler(wsConfig))
                                .addLast(ROUTES, routes)
                                .addLast(new WebSocketFrameAggregator(maxMessage))
                                .addLast(MESSAGE_LIMIT, new WebSocketMessageLimit(maxMessage, tooLarge))
                                // Reader idle once per ping interval: SignalSession pings, then closes
                                // at the silence timeout (what the node writes does not count).
                                .addLast(new IdleStateHandler(signal.pingInterval().toMillis(), 0, 0,
                                        TimeUnit.MILLISECONDS))
                                .addLast(SIGNAL_SESSION, sessions.get());
                        if (tls != null) {
                            // Nearest the socket: every handler above sees plaintext.
                            ch.pipeline().addFirst(new TlsPortGate(tls, FIRST_RECORD));
                        }
                    }
                });
        Channel channel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
        return new HttpServer(group, channel);
    }

    /**
     * Frames are bounded by the message limit from their header, before their payload is read;
     * protocol violations are closed by {@link WebSocketMessageLimit} (after its error frame).
     */
    private static WebSocketDecoderConfig decoderConfig(int maxMessage) {
        return WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxMessage)
                .allowExtensions(false)
                .closeOnProtocolViolation(false)
                .build();
    }

    static final String SIGNAL_WS = "signal-ws";
    static final String ROUTES = "routes";
    static final String SIGNAL_SESSION = "signal-session";
    static final String MESSAGE_LIMIT = "message-limit";

    /**
     * A WebSocket upgrade to /graphql (graphql-transport-ws) or /bridge (the neighbourhood bridge)
     * turns this connection into one of those: the /signal handlers leave the pipeline and the
     * endpoint's session takes their place.
     */
    private static final class OtherWebSockets extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final WebSocketServerProtocolConfig graphqlConfig;
        private final WebSocketServerProtocolConfig bridgeConfig;
        private final GraphqlApi graphql;
        private final OperatorAccess operator;
        private final Supplier<BridgeSession> bridges;
        private final int maxMessage;
        private final String tooLarge;

        OtherWebSockets(WebSocketServerProtocolConfig graphqlConfig, WebSocketServerProtocolConfig bridgeConfig,
                        GraphqlApi graphql, OperatorAccess operator, Supplier<BridgeSession> bridges,
                        int maxMessage, String tooLarge) {
            this.graphqlConfig = graphqlConfig;
            this.bridgeConfig = bridgeConfig;
            this.graphql = graphql;
            this.operator = operator;
            this.bridges = bridges;
            this.maxMessage = maxMessage;
            this.tooLarge = tooLarge;
        }

        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.handler.codec.http.FullHttpRequest request
                    && request.headers().containsValue(io.netty.handler.codec.http.HttpHeaderNames.UPGRADE,
                    io.netty.handler.codec.http.HttpHeaderValues.WEBSOCKET, true)) {
                String path = new io.netty.handler.codec.http.QueryStringDecoder(request.uri()).path();
                if (path.equals("/graphql")) {
                    // graphql-transport-ws has no error message outside an operation: just the close.
                    ctx.pipeline().replace(MESSAGE_LIMIT, MESSAGE_LIMIT, new WebSocketMessageLimit(maxMessage, null));
                    switchTo(ctx, msg, graphqlConfig, new GraphqlWsSession(graphql, operator));
                    return;
                }
                if (path.equals("/bridge")) {
                    switchTo(ctx, msg, bridgeConfig, bridges.get());
                    return;
                }
            }
            ctx.fireChannelRead(msg);
        }

        private void switchTo(io.netty.channel.ChannelHandlerContext ctx, Object request,
                              WebSocketServerProtocolConfig config, io.netty.channel.ChannelHandler session) {
            io.netty.channel.ChannelPipeline pipeline = ctx.pipeline();
            pipeline.remove(SIGNAL_WS);
            // The /signal handler installed its handshake and UTF-8 validation stages beside
            // itself; the new endpoint's handler installs its own.
            for (String name : List.copyOf(pipeline.names())) {
                if (name.startsWith("io.netty.handler.codec.http.websocketx.")) {
                    pipeline.remove(name);
                }
            }
            pipeline.remove(ROUTES);
            pipeline.remove(SIGNAL_SESSION);
            pipeline.addAfter(ctx.name(), "endpoint-ws", new WebSocketServerProtocolHandler(config));
            pipeline.addLast(session);
            ctx.fireChannelRead(request);
            pipeline.remove(this);
        }
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
