package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.function.Supplier;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.adam.sfu.webrtc.ice.IceLiteResponder;

/**
 * A media worker's passive ICE-TCP candidate (RFC 6544): a TCP server socket on the worker's own
 * event loop, whose accepted connections live on that loop too, beside the transports they carry,
 * so the TCP path needs no locks or thread hops either. The node never opens TCP connections
 * itself (no active or simultaneous-open candidates): a client that can reach it over TCP can
 * always connect.
 */
final class IceTcpListener implements AutoCloseable {

    /**
     * Outbound bytes a connection may queue above its socket buffer before frames are dropped:
     * about a second of a receiver's video at 2.5 Mbit/s; more would only add latency.
     */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 384 * 1024);

    /** Set once bound, before anyone else sees this listener. */
    private Channel serverChannel;
    private final IceTcpSettings settings;
    private final PendingTcpConnections pending;
    private final MediaCounters counters;
    private final Supplier<MediaServer> server;
    private final IceLiteResponder responder = new IceLiteResponder();
    /** Connections written to in the current batch; media loop only. */
    private final ArrayList<IceTcpConnection> toFlush = new ArrayList<>();

    private IceTcpListener(IceTcpSettings settings, PendingTcpConnections pending, MediaCounters counters,
                           Supplier<MediaServer> server) {
        this.settings = settings;
        this.pending = pending;
        this.counters = counters;
        this.server = server;
    }

    /**
     * Listens on {@code host:port} (0: any free port) on {@code group}, the worker's one loop.
     *
     * @param server the worker, once it exists (connections accepted before are closed)
     */
    static IceTcpListener bind(EventLoopGroup group, boolean epoll, String host, int port, IceTcpSettings settings,
                               PendingTcpConnections pending, MediaCounters counters,
                               Supplier<MediaServer> server) throws InterruptedException {
        IceTcpListener listener = new IceTcpListener(settings, pending, counters, server);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group, group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, settings.maxUnauthenticated())
                .option(ChannelOption.SO_REUSEADDR, true) // a restarted node rebinds despite old connections
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        IceTcpFrameDecoder decoder = new IceTcpFrameDecoder(counters.tcpConnectionsGarbage);
                        ch.pipeline().addLast(decoder, new IceTcpConnection(listener, decoder));
                    }
                });
        listener.serverChannel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
        return listener;
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    IceTcpSettings settings() {
        return settings;
    }

    PendingTcpConnections pending() {
        return pending;
    }

    MediaCounters counters() {
        return counters;
    }

    /** The worker, or null while it is being built. */
    MediaServer server() {
        return server.get();
    }

    IceLiteResponder responder() {
        return responder;
    }

    /** {@code connection} has frames queued: flush it with the rest of the batch. Media loop. */
    void flushLater(IceTcpConnection connection) {
        if (!connection.flushQueued) {
            connection.flushQueued = true;
            toFlush.add(connection);
        }
    }

    /** Ends a batch: one flush (one writev) per connection written to. Media loop. */
    void flushPending() {
        for (int i = 0; i < toFlush.size(); i++) {
            IceTcpConnection connection = toFlush.get(i);
            connection.flushQueued = false;
            connection.flush();
        }
        toFlush.clear();
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
    }
}
