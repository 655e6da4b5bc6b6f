package org.adam.sfu.node;

import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.adam.sfu.signal.SignalSession;

/**
 * Agents whose /signal protocol arrives through a neighbourhood bridge rather than a socket of
 * their own: each gets an in-process channel (Netty's local transport) whose far end runs the
 * same {@link SignalSession} a WebSocket client gets, so the protocol is handled once, one way.
 */
final class AgentChannels implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    private final LocalAddress address = new LocalAddress("sfu-bridge-agents-" + System.nanoTime());
    private final Channel server;

    AgentChannels(Supplier<SignalSession> sessions) throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        ch.pipeline().addLast(new OpenLikeAWebSocket()).addLast(sessions.get());
                    }
                })
                .bind(address).sync().channel();
    }

    /**
     * Opens one agent's channel; every frame the node sends that agent goes to {@code toAgent}.
     * Write {@link TextWebSocketFrame}s to the returned channel to speak for the agent.
     */
    Channel open(Consumer<String> toAgent, Runnable closed) throws InterruptedException {
        Channel channel = new Bootstrap()
                .group(group)
                .channel(LocalChannel.class)
                .handler(new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                        toAgent.accept(frame.text());
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        closed.run();
                    }
                })
                .connect(address).sync().channel();
        return channel;
    }

    /** The session starts as it would after a WebSocket handshake (it sends `hello`). */
    private static final class OpenLikeAWebSocket extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.fireChannelActive();
            ctx.pipeline().fireUserEventTriggered(
                    new WebSocketServerProtocolHandler.HandshakeComplete("/signal", EmptyHttpHeaders.INSTANCE, null));
        }
    }

    @Override
    public void close() {
        server.close();
        group.shutdownGracefully();
    }
}
