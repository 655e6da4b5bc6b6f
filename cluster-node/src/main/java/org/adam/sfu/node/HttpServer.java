package org.adam.sfu.node;

import java.net.InetSocketAddress;
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
                            Supplier<SignalSession> sessions) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        HttpRoutes routes = new HttpRoutes(nodeId, admin, graphql, operator, metrics);
        WebSocketServerProtocolConfig wsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/signal")
                .checkStartsWith(false)
                .handleCloseFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(HARD_FRAME_LIMIT)
                        .allowExtensions(false)
                        .build())
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
                                .addLast(new WebSocketServerProtocolHandler(wsConfig))
                                .addLast(routes)
                                .addLast(new WebSocketFrameAggregator(HARD_FRAME_LIMIT))
                                .addLast(new IdleStateHandler(signal.silenceTimeout().toMillis(),
                                        signal.pingInterval().toMillis(), 0, TimeUnit.MILLISECONDS))
                                .addLast(sessions.get());
                    }
                });
        Channel channel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
        return new HttpServer(group, channel);
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
