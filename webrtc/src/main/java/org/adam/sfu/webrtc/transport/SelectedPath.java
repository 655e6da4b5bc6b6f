package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.concurrent.Executor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import org.adam.sfu.webrtc.ice.IceSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one transport's packets go: the ICE session's selected pair, as a UDP address (on the
 * media socket its checks arrive on), an ICE-TCP connection, or a peer behind the node's TURN
 * relay; and the registry binding that makes the peer's datagrams this transport's.
 *
 * <p>Threading: the media event loop owns it; {@link #sendDtls} also runs on a DTLS handshake
 * thread, which is why the fields it reads are volatile (and written in an order it can rely on).
 * Logs under {@link WebRtcTransport}'s name, with the transport's other lines.
 */
final class SelectedPath {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTransport.class);
    /**
     * A nominated ICE-TCP pair takes over from a selected UDP path only once that path has had no
     * valid check for this long (browsers check a selected pair every 2.5 s): of several nominated
     * pairs the controlled agent uses the highest-priority one (RFC 8445 8.1.1), and UDP's is higher.
     */
    static final long UDP_PREFERRED_MILLIS = 6_000;

    private final WebRtcTransport owner;
    private final String label;
    private final TransportRegistry registry;
    private final IceSession ice;
    /** The worker's relay on the node's TURN server, or null. */
    private final NodeRelay relay;
    private final Channel channel;
    private final Executor loop;
    private final Runnable flushAll;
    private volatile InetSocketAddress remoteAddress;
    /** ICE-TCP connections that carried a valid check for this transport (RFC 6544). */
    private final ArrayList<IceTcpConnection> tcpConnections = new ArrayList<>(1);
    /** The selected pair when it is one of those connections (then remoteAddress is its path key); else null. */
    private volatile IceTcpConnection tcpPath;
    /**
     * The peer's address when the selected pair runs through the node's TURN relay (remoteAddress
     * is then its path key); else null.
     */
    private volatile InetSocketAddress relayPeer;
    private long lastUdpCheckMillis = Long.MIN_VALUE / 2;
    /**
     * The UDP socket the selected pair's checks arrive on, which sends to the peer: the node may
     * listen on several addresses (IPv4 and IPv6) on one port.
     */
    private volatile Channel socket;

    /**
     * @param channel  the socket sent on until checks pick another, whose allocator DTLS records use
     * @param loop     the media event loop, where relayed DTLS records are written
     * @param flushAll flushes the worker's sockets after such a write
     */
    SelectedPath(WebRtcTransport owner, String label, TransportRegistry registry, IceSession ice, NodeRelay relay,
                 Channel channel, Executor loop, Runnable flushAll) {
        this.owner = owner;
        this.label = label;
        this.registry = registry;
        this.ice = ice;
        this.relay = relay;
        this.channel = channel;
        this.socket = channel;
        this.loop = loop;
        this.flushAll = flushAll;
    }

    /** The selected pair's remote address or path key; null before the first valid check. */
    InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** A controlling agent's check to {@code from} was answered: that pair carries media now. */
    void useAnswered(InetSocketAddress from) {
        if (!from.equals(remoteAddress)) {
            remoteAddress = from;
            registry.bindAddress(from, owner);
        }
    }

    /** A valid check came over UDP at {@code nowMillis}. */
    void noteUdpCheck(long nowMillis) {
        lastUdpCheckMillis = nowMillis;
    }

    /**
     * After the ICE session took a UDP check from {@code from} on socket {@code on}: a TCP
     * connection's check that came first gives way to UDP until the peer nominates, so that the
     * peer's DTLS over UDP finds its address known (only the selected one is).
     */
    void afterUdpCheck(InetSocketAddress from, Channel on) {
        if (tcpPath != null) {
            ice.preferUnlessNominated(from);
        }
        if (from.equals(ice.selectedAddress())) {
            socket = on;
        }
    }

    /** Takes {@code connection} as one of this transport's; false if it is new and {@code max} are taken. */
    boolean acceptTcp(IceTcpConnection connection, int max) {
        if (!tcpConnections.contains(connection)) {
            if (tcpConnections.size() >= max) {
                return false;
            }
            tcpConnections.add(connection);
        }
        return true;
    }

    /** Whether a UDP pair is selected and has been checked recently: then a TCP nomination waits. */
    boolean udpSelectedAndAlive(long nowMillis) {
        return tcpPath == null && remoteAddress != null && nowMillis - lastUdpCheckMillis < UDP_PREFERRED_MILLIS;
    }

    /** An ICE-TCP connection of this transport closed; if it was the selected pair, nothing is selected now. */
    void onTcpConnectionClosed(IceTcpConnection connection) {
        tcpConnections.remove(connection);
        if (tcpPath == connection) {
            tcpPath = null;
            remoteAddress = null;
            ice.forgetPath(connection.pathKey());
            LOG.info("transport {}: selected ICE-TCP connection {} closed", label, connection);
        }
    }

    /**
     * Sends go where the ICE session's selected pair is: a UDP address, or an ICE-TCP connection.
     *
     * @return whether the selection moved from one path to another (not merely a first one)
     */
    boolean followSelection() {
        InetSocketAddress selected = ice.selectedAddress();
        if (selected == null || selected.equals(remoteAddress)) {
            return false;
        }
        if (remoteAddress != null && tcpPath == null) {
            registry.unbindAddress(remoteAddress, owner);
        }
        boolean moved = remoteAddress != null;
        if (moved) {
            LOG.info("transport {}: selected pair moved from {} to {}", label, remoteAddress, selected);
        }
        IceTcpConnection tcp = null;
        for (int i = 0; i < tcpConnections.size(); i++) {
            if (tcpConnections.get(i).pathKey().equals(selected)) {
                tcp = tcpConnections.get(i);
            }
        }
        tcpPath = tcp; // before remoteAddress: a DTLS thread reading both never pairs a TCP key with UDP
        relayPeer = tcp == null && NodeRelay.isPathKey(selected) ? NodeRelay.peerOf(selected) : null;
        remoteAddress = selected;
        if (tcp == null) {
            registry.bindAddress(selected, owner);
        } else {
            LOG.info("transport {}: selected ICE-TCP connection {}", label, tcp);
        }
        return moved;
    }

    /** The path media takes now, given whether DTLS has connected. */
    TransportPaths.Path kind(boolean connected) {
        if (!connected || remoteAddress == null) {
            return TransportPaths.Path.NONE;
        }
        if (tcpPath != null) {
            return TransportPaths.Path.TCP;
        }
        return relayPeer != null ? TransportPaths.Path.RELAY : TransportPaths.Path.UDP;
    }

    void forget(InetSocketAddress address) {
        if (address.equals(remoteAddress)) {
            remoteAddress = null;
        }
    }

    /**
     * Queued on the selected path; the media loop flushes every socket at the end of each read
     * batch (batched sends). Takes ownership of {@code packet}.
     */
    void write(ByteBuf packet) {
        IceTcpConnection tcp = tcpPath;
        InetSocketAddress relayed = relayPeer;
        if (tcp != null) {
            tcp.write(packet);
        } else if (relayed != null) {
            relay.write(relayed, packet);
        } else {
            socket.write(new DatagramPacket(packet, remoteAddress));
        }
    }

    /** A DTLS record to the peer, sent at once. */
    void sendDtls(byte[] datagram) {
        // Called on a handshake thread, or on the loop answering a datagram; Netty hands the write to the loop.
        IceTcpConnection tcp = tcpPath;
        if (tcp != null) {
            tcp.writeAndFlush(datagram);
            return;
        }
        InetSocketAddress relayed = relayPeer;
        if (relayed != null) {
            loop.execute(() -> { // the relay is the loop's
                if (relay != null) {
                    relay.write(relayed, channel.alloc().directBuffer(datagram.length).writeBytes(datagram));
                    flushAll.run();
                }
            });
            return;
        }
        InetSocketAddress to = remoteAddress;
        Channel out = socket;
        if (to != null && !to.isUnresolved()) {
            out.writeAndFlush(new DatagramPacket(out.alloc().directBuffer(datagram.length).writeBytes(datagram), to));
        }
    }

    /** Closes this transport's ICE-TCP connections; nothing is selected afterwards. */
    void close() {
        tcpPath = null;
        for (IceTcpConnection connection : new ArrayList<>(tcpConnections)) {
            connection.close();
        }
        tcpConnections.clear();
        relayPeer = null;
    }
}
