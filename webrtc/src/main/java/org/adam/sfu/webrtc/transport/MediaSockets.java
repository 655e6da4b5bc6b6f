package org.adam.sfu.webrtc.transport;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.channel.Channel;

/**
 * The sockets a media worker sends on: its media sockets (one per media address, all on one
 * port), the pipes' own sockets, and the ICE-TCP listener's connections; which one reaches an
 * address, and the flush that ends each read batch or tick.
 *
 * <p>Threading: the media sockets are fixed at construction; the pipe sockets and every flush
 * belong to the worker's media event loop.
 */
final class MediaSockets {

    private final List<Channel> sockets;
    /** Pipes' own sockets; media loop only. */
    private final ArrayList<Channel> pipeSockets = new ArrayList<>();
    /** The passive ICE-TCP candidate's listener; null without ICE-TCP. */
    private final IceTcpListener iceTcp;

    MediaSockets(List<Channel> sockets, IceTcpListener iceTcp) {
        this.sockets = List.copyOf(sockets);
        this.iceTcp = iceTcp;
    }

    /** The first media socket: the one a transport sends on until its peer's checks pick another. */
    Channel first() {
        return sockets.get(0);
    }

    List<Channel> media() {
        return sockets;
    }

    /** A pipe's own socket, flushed with the others until it closes. Media loop. */
    void addPipeSocket(Channel pipeChannel) {
        pipeSockets.add(pipeChannel);
        pipeChannel.closeFuture().addListener(closed -> pipeSockets.remove(pipeChannel));
    }

    /** The media socket that reaches {@code target}: the one of its address family, or null. */
    Channel socketFor(InetSocketAddress target) {
        for (Channel socket : sockets) {
            InetSocketAddress local = (InetSocketAddress) socket.localAddress();
            if (local.getAddress().getClass() == target.getAddress().getClass()
                    || (local.getAddress() instanceof Inet6Address && local.getAddress().isAnyLocalAddress())) {
                return socket;
            }
        }
        return null;
    }

    /**
     * Ends a read batch on any socket: what it forwarded may have been queued on every socket
     * (a packet read from a pipe goes out on the shared port, and the reverse), so all flush.
     */
    void flushAll() {
        for (int i = 0; i < sockets.size(); i++) {
            sockets.get(i).flush();
        }
        for (int i = 0; i < pipeSockets.size(); i++) {
            pipeSockets.get(i).flush();
        }
        if (iceTcp != null) {
            iceTcp.flushPending();
        }
    }
}
