package org.adam.sfu.node;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents whose /signal protocol arrives through a neighbourhood bridge rather than a socket of
 * their own: each gets an in-process channel (Netty's local transport) whose far end runs the
 * same {@link org.adam.sfu.signal.SignalSession} a WebSocket client gets, so the protocol is
 * handled once, one way. Opening one never waits: the bridge's event loop must not.
 */
final class AgentChannels implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentChannels.class);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    /** The one loop every agent channel runs on (both ends). */
    private final EventLoop loop = group.next();
    private final LocalAddress address = new LocalAddress("sfu-bridge-agents-" + System.nanoTime());
    private final Channel server;

    /** @param sessions the far end of each agent's channel (a SignalSession), one per channel */
    AgentChannels(Supplier<? extends ChannelHandler> sessions) throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        ch.pipeline().addLast(new OpenLikeAWebSocket()).addLast(sessions.get());
                    }
                })
                .bind(address).sync().channel(); // at start, on the node's main thread
    }

    /**
     * Opens one agent's channel without waiting for it to connect; every frame the node sends
     * that agent goes to {@code toAgent}, and {@code closed} runs once the channel is gone (or
     * could not open). Any thread.
     */
    Agent open(Consumer<String> toAgent, Runnable closed) {
        ChannelFuture connect = new Bootstrap()
                .group(loop)
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
                .connect(address);
        return new Agent(connect, loop, closed);
    }

    /** For tests: the loop the agents' channels run on. */
    EventLoop loop() {
        return loop;
    }

    /**
     * One agent's channel, connecting or connected. What the agent says before the channel is
     * connected waits (a few frames at most) and goes first once it is; everything here runs on
     * the agents' loop, so the order holds.
     */
    static final class Agent {
        /** More than an agent says before a local channel connects, which takes one loop turn. */
        static final int MAX_WAITING_FRAMES = 16;

        private final Channel channel;
        private final EventLoop loop;
        private final Runnable closed;
        // Agents' loop only.
        private final ArrayDeque<String> waiting = new ArrayDeque<>();
        private boolean connected;
        private boolean failed;

        private Agent(ChannelFuture connect, EventLoop loop, Runnable closed) {
            this.channel = connect.channel();
            this.loop = loop;
            this.closed = closed;
            connect.addListener(done -> loop.execute(() -> onConnect(done.isSuccess(), done.cause())));
        }

        /** Speaks for the agent: one /signal frame, JSON text. Any thread; never waits. */
        void send(String frame) {
            loop.execute(() -> {
                if (connected) {
                    channel.writeAndFlush(new TextWebSocketFrame(frame));
                } else if (failed) {
                    return;
                } else if (waiting.size() < MAX_WAITING_FRAMES) {
                    waiting.add(frame);
                } else {
                    LOG.warn("agent channel closed: {} frames arrived before it connected", MAX_WAITING_FRAMES);
                    waiting.clear();
                    channel.close();
                }
            });
        }

        /** Closes the channel; {@code closed} runs when it is gone. Any thread. */
        void close() {
            channel.close();
        }

        private void onConnect(boolean success, Throwable cause) {
            if (!success) {
                failed = true;
                waiting.clear();
                LOG.warn("agent channel did not open: {}", String.valueOf(cause));
                closed.run();
                return;
            }
            connected = true;
            while (!waiting.isEmpty()) {
                channel.write(new TextWebSocketFrame(waiting.poll()));
            }
            channel.flush();
        }
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
