package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;

/**
 * Binds a media worker's event loop and sockets: its UDP media sockets (one per media address,
 * all on one port), the bootstrap its pipes' sockets are cloned from, and its ICE-TCP listener.
 * Runs once, on the thread that starts the node, before the worker exists (its handlers find it
 * through the supplier once it does).
 */
final class MediaWorkerSockets {

    /** Largest datagram read; WebRTC keeps packets under the ~1,200-1,500 byte path MTU. */
    private static final int RECEIVE_BUFFER = 2048;

    /** What a worker runs on: its loop, its bound sockets, and whether they are epoll's. */
    record Bound(EventLoopGroup group, Bootstrap bootstrap, List<Channel> sockets, IceTcpListener iceTcp,
                 boolean epoll) {
    }

    private MediaWorkerSockets() {
    }

    static Bound bind(MediaServerConfig config, int index, int port, MediaCounters counters,
                      PendingTcpConnections pendingTcp, Supplier<MediaServer> worker) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, daemonThreads("media-loop-" + index),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER))
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new MediaPacketHandler(worker));
                    }
                });
        List<Channel> sockets = new ArrayList<>();
        IceTcpListener iceTcp = null;
        try {
            // One socket per address, all on the port the first got (the same number in each family).
            for (String host : config.bindHosts()) {
                int bound = sockets.isEmpty() ? port : ((InetSocketAddress) sockets.get(0).localAddress()).getPort();
                sockets.add(bootstrap.bind(new InetSocketAddress(host, bound)).sync().channel());
            }
            if (config.iceTcp().enabled()) {
                iceTcp = IceTcpListener.bind(group, epoll, config.bindHost(), config.iceTcp().portOf(index),
                        config.iceTcp(), pendingTcp, counters, worker);
            }
        } catch (InterruptedException | RuntimeException e) {
            sockets.forEach(Channel::close);
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        } catch (Exception e) {
            // A bind failure (port taken) arrives as a checked exception Netty rethrows unchecked.
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("media worker " + index + " could not bind: " + e.getMessage(), e);
        }
        return new Bound(group, bootstrap, sockets, iceTcp, epoll);
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
