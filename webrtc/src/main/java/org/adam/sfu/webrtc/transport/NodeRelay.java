package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.security.SecureRandom;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import org.adam.sfu.webrtc.turn.ChannelData;
import org.adam.sfu.webrtc.turn.TurnClient;
import org.adam.sfu.webrtc.turn.TurnEvent;
import org.adam.sfu.webrtc.turn.TurnTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media worker's relayed address on the node's TURN server (RFC 8656), so that a node behind
 * a NAT with no port forwarded is reached through it: every transport of the worker offers it as a
 * relay candidate, the relay lets in the peers whose candidates the clients sent
 * ({@link #permit}), and what comes through it is handed to the same classification as what
 * reaches the media socket directly.
 *
 * <p>A peer that came through the relay is known to the transports by a path key (as an ICE-TCP
 * connection is), {@code relay:<ip>:<port>}, so that the same client reaching the node both
 * directly and through the relay is two candidate pairs, and sends go back the way the selected
 * pair came. The allocation is made and kept over the worker's first media socket, or over a TCP
 * connection of the worker's to the server ({@link RelayTcpLink}) where UDP does not get out; a
 * failed one is tried again every {@value #RETRY_MILLIS} ms. Media event loop only, except
 * {@link #relayedAddress}. Time comes from the worker's {@link MediaClock}.
 *
 * <p>Why it stays one class over 300 lines: what is left is the one allocation's life on the
 * server (allocate, retry, the TCP connection it may run over, close) and the reads and writes
 * through it, which all act on the same {@link TurnClient} and its connection state. The
 * bookkeeping of the peers let in is in {@link RelayPeers}, the framed TCP stream in
 * {@link RelayTcpLink}, and the TURN protocol itself in {@link TurnClient}.
 */
final class NodeRelay {

    private static final Logger LOG = LoggerFactory.getLogger(NodeRelay.class);
    private static final String KEY_PREFIX = "relay:";
    static final long RETRY_MILLIS = 10_000;

    private final NodeRelaySettings settings;
    private final Channel socket;
    private final SecureRandom random;
    private final MediaCounters counters;
    private TurnClient client;
    /** The connection to the server over TCP; null over UDP, and while none is up. */
    private RelayTcpLink tcp;
    private long retryAt = Long.MAX_VALUE;
    private volatile InetSocketAddress relayed;
    /** The peers let in, and their channels. */
    private final RelayPeers peers = new RelayPeers();
    private final MediaClock clock;
    private boolean closed;

    NodeRelay(NodeRelaySettings settings, Channel socket, SecureRandom random, MediaCounters counters,
              MediaClock clock) {
        this.settings = settings;
        this.socket = socket;
        this.random = random;
        this.counters = counters;
        this.clock = clock;
    }

    /** The path key under which transports know {@code peer} reached through the relay (allocates). */
    static InetSocketAddress pathKey(InetSocketAddress peer) {
        return InetSocketAddress.createUnresolved(KEY_PREFIX + peer.getAddress().getHostAddress(), peer.getPort());
    }

    static boolean isPathKey(InetSocketAddress address) {
        return address.isUnresolved() && address.getHostString().startsWith(KEY_PREFIX);
    }

    /** The peer address behind a {@link #pathKey} (allocates: once per selected pair, not per packet). */
    static InetSocketAddress peerOf(InetSocketAddress key) {
        String host = key.getHostString().substring(KEY_PREFIX.length());
        return new InetSocketAddress(io.netty.util.NetUtil.createInetAddressFromIpAddressString(host), key.getPort());
    }

    /** The relayed address clients may send to, or null while there is no allocation. Any thread. */
    InetSocketAddress relayedAddress() {
        return relayed;
    }

    /**
     * Whether a datagram that came on {@code on} from {@code sender} is the relay's: only the
     * allocation's own socket talks TURN (a pipe's socket may ask the same server for its
     * server-reflexive address, and that answer is the pipe's).
     */
    boolean owns(Channel on, InetSocketAddress sender) {
        return !overTcp() && on == socket && sender.equals(settings.server());
    }

    private boolean overTcp() {
        return settings.transport() == TurnTransport.TCP;
    }

    void start(long nowMillis) {
        retryAt = Long.MAX_VALUE;
        if (overTcp()) {
            // A new connection for each allocation; the allocation starts once it is up (TcpListener).
            if (tcp != null) {
                tcp.close();
            }
            TcpListener listener = new TcpListener();
            tcp = RelayTcpLink.connect(socket.eventLoop(), settings.server(), listener);
            listener.link = tcp;
            return;
        }
        allocate(nowMillis);
    }

    private void allocate(long nowMillis) {
        client = new TurnClient(settings.credentials().get(), settings.transport(), random);
        client.allocate(nowMillis);
        transmit();
    }

    /** What one TCP connection to the server reports, on the media event loop; a replaced one is ignored. */
    private final class TcpListener implements RelayTcpLink.Listener {
        /** Its connection; null only while {@link RelayTcpLink#connect} has not returned. */
        RelayTcpLink link;

        private boolean current() {
            return link == null || tcp == link;
        }

        @Override
        public void onConnected() {
            if (!current()) {
                return;
            }
            if (closed) {
                tcp.close();
                return;
            }
            allocate(clock.millis());
        }

        @Override
        public void onFrame(ByteBuf frame) {
            if (!current()) {
                frame.release();
                return;
            }
            onDatagram(frame, clock.millis(), tcpSink());
        }

        @Override
        public void onReadComplete() {
            socket.flush();
        }

        @Override
        public void onClosed(String why) {
            if (!current() || closed) {
                return;
            }
            LOG.warn("relay: TCP connection to TURN server {}: {}", format(settings.server()), why);
            client = null;
            relayed = null;
            peers.forgetChannels();
        }
    }

    /** Relayed datagrams that came over TCP are classified as if they had reached the first media socket. */
    private RelayedSink tcpSink() {
        MediaPacketHandler handler = socket.pipeline().get(MediaPacketHandler.class);
        return handler == null ? (content, peer, key) -> content.release() : handler.relayedSink();
    }

    /** Timers: retransmissions, refreshes, a retry after a failure. Called every tick. */
    void poll(long nowMillis) {
        if (closed) {
            return;
        }
        if (client == null && tcp != null && tcp.isOpen()) {
            return; // connecting
        }
        if (client == null || client.state() == TurnClient.State.FAILED) {
            if (retryAt == Long.MAX_VALUE) {
                retryAt = nowMillis + RETRY_MILLIS;
            } else if (nowMillis >= retryAt) {
                retryAt = Long.MAX_VALUE;
                LOG.info("relay: allocating again on TURN server {}", settings.server());
                start(nowMillis);
            }
            return;
        }
        if (nowMillis >= client.pollTimeout()) {
            client.handleTimeout(nowMillis);
        }
        drain(nowMillis, null);
    }

    /**
     * A datagram from the TURN server: ChannelData carrying a peer's packet (read in place), or
     * STUN (an answer to the client's requests, or a Data indication). What a peer sent goes to
     * {@code sink} under the peer's path key. Takes ownership of {@code content}.
     */
    void onDatagram(ByteBuf content, long nowMillis, RelayedSink sink) {
        int first = content.getUnsignedByte(content.readerIndex());
        if (ChannelData.isChannelData(first)) {
            onChannelData(content, sink);
            return;
        }
        byte[] bytes = new byte[content.readableBytes()];
        content.readBytes(bytes);
        content.release();
        if (client == null || !client.handleInput(bytes, 0, bytes.length, nowMillis)) {
            counters.droppedStun.increment();
        }
        drain(nowMillis, sink);
    }

    private void onChannelData(ByteBuf content, RelayedSink sink) {
        int start = content.readerIndex();
        int length = content.readableBytes();
        RelayPeers.Peer peer = length < ChannelData.HEADER_LENGTH ? null
                : peers.byChannel(content.getUnsignedShort(start));
        int payload = length < ChannelData.HEADER_LENGTH ? -1 : content.getUnsignedShort(start + 2);
        if (peer == null || payload < 2 || ChannelData.HEADER_LENGTH + payload > length) {
            counters.droppedUnknownSender.increment();
            content.release();
            return;
        }
        content.readerIndex(start + ChannelData.HEADER_LENGTH);
        content.writerIndex(start + ChannelData.HEADER_LENGTH + payload); // UDP may carry padding
        counters.relayDatagramsIn.increment();
        sink.onRelayed(content, peer.address, peer.key);
    }

    private static String format(InetSocketAddress address) {
        return address == null ? "?" : io.netty.util.NetUtil.toSocketAddressString(address);
    }

    /** Sends what the client queued, and acts on what it reported. */
    private void drain(long nowMillis, RelayedSink sink) {
        if (client == null) {
            return;
        }
        transmit();
        TurnEvent event;
        while ((event = client.pollEvent()) != null) {
            if (event instanceof TurnEvent.Allocated allocated) {
                relayed = allocated.relayed();
                LOG.info("relay: allocated {} on TURN server {} (seen from {}), for {} s", format(allocated.relayed()),
                        format(settings.server()), format(allocated.mapped()), allocated.lifetimeSeconds());
                for (InetSocketAddress peer : peers.addresses()) {
                    bind(peer, nowMillis);
                }
            } else if (event instanceof TurnEvent.ChannelBound bound) {
                peers.bound(bound.peer(), bound.channel());
            } else if (event instanceof TurnEvent.DataReceived data && sink != null) {
                RelayPeers.Peer peer = peers.get(data.peer());
                if (peer == null || data.data().length < 2) {
                    // Not a candidate a client named (a peer-reflexive port of a permitted IP is
                    // not let in), or too short to classify.
                    counters.droppedUnknownSender.increment();
                } else {
                    counters.relayDatagramsIn.increment();
                    sink.onRelayed(socket.alloc().directBuffer(data.data().length).writeBytes(data.data()),
                            data.peer(), peer.key);
                }
            } else if (event instanceof TurnEvent.RequestFailed failed) {
                LOG.warn("relay: {} {} failed on TURN server {}: {} {}", failed.request(),
                        failed.peer() == null ? "" : failed.peer(), settings.server(), failed.errorCode(),
                        failed.reason());
                if (client.state() == TurnClient.State.FAILED) {
                    relayed = null;
                    peers.forgetChannels();
                }
            }
        }
        transmit();
    }

    private void transmit() {
        byte[] out;
        while ((out = client.pollTransmit()) != null) {
            toServer(socket.alloc().directBuffer(out.length).writeBytes(out));
            socket.flush();
        }
    }

    /** One datagram, or one frame over TCP, to the server. Takes ownership. */
    private void toServer(ByteBuf out) {
        if (overTcp()) {
            if (tcp != null) {
                tcp.write(out);
            } else {
                out.release();
            }
        } else {
            socket.write(new DatagramPacket(out, settings.server()));
        }
    }

    /**
     * Lets {@code peer} (a client's candidate address) in through the relay: a channel to it,
     * which also installs the permission for its IP. Counted per asking transport, so that
     * {@link #release} ends it when the last one is gone.
     *
     * @return false if the relay keeps too many peers already
     */
    boolean permit(InetSocketAddress peer, long nowMillis) {
        RelayPeers.Admission admission = peers.admit(peer);
        if (admission == RelayPeers.Admission.NEW) {
            bind(peer, nowMillis);
        }
        return admission != RelayPeers.Admission.FULL;
    }

    private void bind(InetSocketAddress peer, long nowMillis) {
        if (client == null || client.state() != TurnClient.State.ALLOCATED) {
            return; // bound when the allocation is made
        }
        if (client.channelOf(peer) < 0) {
            try {
                client.bindChannel(peer, nowMillis);
            } catch (IllegalStateException channelsUsedUp) {
                client.createPermission(peer.getAddress(), nowMillis); // Send and Data indications then
            }
        }
        transmit();
    }

    /** A transport that asked for {@code peer} is gone. */
    void release(InetSocketAddress peer) {
        int channel = client == null ? -1 : client.channelOf(peer);
        if (peers.release(peer, channel) && client != null) {
            client.release(peer, peers.stillPermitted(peer.getAddress()));
        }
    }

    /**
     * Queues {@code packet} to {@code peer} through the relay: ChannelData on its channel (one
     * copy, to put the 4-byte header in front), else a Send indication. Takes ownership.
     */
    void write(InetSocketAddress peer, ByteBuf packet) {
        int channel = client == null || relayed == null ? -1 : client.channelOf(peer);
        int length = packet.readableBytes();
        ByteBuf out;
        if (channel >= 0) {
            // Over TCP a frame is padded to 4 bytes (RFC 8656 12.5); a datagram needs no padding.
            int frame = overTcp() ? ChannelData.paddedLength(length) : ChannelData.HEADER_LENGTH + length;
            out = socket.alloc().directBuffer(frame);
            ChannelData.writeHeader(out, channel, length);
            out.writeBytes(packet);
            out.writeZero(frame - ChannelData.HEADER_LENGTH - length);
        } else if (relayed != null) {
            byte[] payload = new byte[length];
            packet.getBytes(packet.readerIndex(), payload);
            byte[] indication = client.sendIndication(peer, payload, 0, length);
            out = socket.alloc().directBuffer(indication.length).writeBytes(indication);
        } else {
            packet.release();
            return;
        }
        packet.release();
        counters.relayDatagramsOut.increment();
        toServer(out);
    }

    /** Releases the allocation (best effort: the server drops it at its lifetime otherwise). */
    void close(long nowMillis) {
        closed = true;
        if (client != null && client.state() == TurnClient.State.ALLOCATED) {
            client.deallocate(nowMillis);
            transmit();
        }
        if (tcp != null) {
            tcp.close();
        }
        relayed = null;
    }

    /** Where what came through the relay goes: the media socket's own classification. */
    interface RelayedSink {
        /**
         * @param content the peer's datagram (owned by the callee)
         * @param peer    the peer's address (what a STUN answer names)
         * @param key     the path key transports know it by
         */
        void onRelayed(ByteBuf content, InetSocketAddress peer, InetSocketAddress key);
    }
}
