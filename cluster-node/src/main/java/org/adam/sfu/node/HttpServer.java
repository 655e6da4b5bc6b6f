package org.adam.sfu.node;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
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

    /**
     * Frames up to this size are read whole so that an oversized one can be answered with the
     * protocol's `too-large` error on an open socket; beyond it Netty closes the socket (1009).
     */
    private static final int HARD_FRAME_LIMIT = 4 * 1024 * 1024;

    private final EventLoopGroup group;
    private final Channel channel;

    private HttpServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    static HttpServer start(String host, int port, String nodeId, SignalSettings signal, AdminApi admin,
                            GraphqlApi graphql, OperatorAccess operator, NodeMetrics metrics,
                            Supplier<SignalSession> sessions, Supplier<BridgeSession> bridges)
            throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        HttpRoutes routes = new HttpRoutes(nodeId, admin, graphql, operator, metrics);
        WebSocketServerProtocolConfig wsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/signal")
                .checkStartsWith(false)
                .handleCloseFrames(true)
                // Pongs answer the node's pings: they must reach the idle handler to count as
                // hearing from the client (Netty drops them by default).
                .dropPongFrames(false)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(HARD_FRAME_LIMIT)
                        .allowExtensions(false)
                        .build())
                .build();
        WebSocketServerProtocolConfig graphqlWsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/graphql")
                .subprotocols(GraphqlWsSession.SUBPROTOCOL)
                .handleCloseFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(HARD_FRAME_LIMIT).build())
                .build();
        WebSocketServerProtocolConfig bridgeWsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/bridge")
                .handleCloseFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(HARD_FRAME_LIMIT).build())
                .build();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(64 * 1024))
                                .addLast(new OtherWebSockets(graphqlWsConfig, bridgeWsConfig, graphql, operator, bridges))
                                .addLast(SIGNAL_WS, new WebSocketServerProtocolHandler(wsConfig))
                                .addLast(ROUTES, routes)
                                .addLast(new WebSocketFrameAggregator(HARD_FRAME_LIMIT))
                                // Reader idle once per ping interval: SignalSession pings, then closes
                                // at the silence timeout (what the node writes does not count).
                                .addLast(new IdleStateHandler(signal.pingInterval().toMillis(), 0, 0,
                                        TimeUnit.MILLISECONDS))
                                .addLast(SIGNAL_SESSION, sessions.get());
                    }
                });
        Channel channel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
        return new HttpServer(group, channel);
    }

    static final String SIGNAL_WS = "signal-ws";
    static final String ROUTES = "routes";
    static final String SIGNAL_SESSION = "signal-session";

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

        OtherWebSockets(WebSocketServerProtocolConfig graphqlConfig, WebSocketServerProtocolConfig bridgeConfig,
                        GraphqlApi graphql, OperatorAccess operator, Supplier<BridgeSession> bridges) {
            this.graphqlConfig = graphqlConfig;
            this.bridgeConfig = bridgeConfig;
            this.graphql = graphql;
            this.operator = operator;
            this.bridges = bridges;
        }

        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.handler.codec.http.FullHttpRequest request
                    && request.headers().containsValue(io.netty.handler.codec.http.HttpHeaderNames.UPGRADE,
                    io.netty.handler.codec.http.HttpHeaderValues.WEBSOCKET, true)) {
                String path = new io.netty.handler.codec.http.QueryStringDecoder(request.uri()).path();
                if (path.equals("/graphql")) {
                    switchTo(ctx, msg, graphqlConfig, new GraphqlWsSession(graphql, operator, operator.openWithoutToken()));
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
