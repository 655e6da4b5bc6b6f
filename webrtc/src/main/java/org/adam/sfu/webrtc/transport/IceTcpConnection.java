package org.adam.sfu.webrtc.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.adam.sfu.webrtc.ice.IceLiteResponder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ICE-TCP connection a peer opened to the node's passive candidate (RFC 6544): it belongs to
 * no transport until it carries a valid ICE check, then to the transport the check named, for
 * good. Its frames enter the same demultiplexing as the UDP port's datagrams (RFC 7983), and when
 * the transport's selected pair is this connection, everything the transport sends goes back
 * through it, framed (RFC 4571).
 *
 * <p>Bounds: a connection holds one of the node's places for unauthenticated connections until
 * its first valid check, and is closed if that check has not come within the authentication
 * timeout, or if it sends anything else first. Writes are dropped, whole frames at a time, while
 * the peer's TCP window and the outbound buffer above it are full, so a slow reader costs a
 * bounded buffer and late media, never the node's memory.
 *
 * <p>Confined to the media event loop of the worker that accepted it.
 */
final class IceTcpConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(IceTcpConnection.class);

    private final IceTcpListener listener;
    private final IceTcpFrameDecoder decoder;
    private Channel channel;
    /**
     * The selected-path identity of this connection in the transport's ICE session: its remote
     * address, unresolved under a "tcp:" name, so it never equals a UDP sender's address.
     */
    private InetSocketAddress pathKey;
    private InetSocketAddress remote;
    /** Set by the first valid check; never changes after. */
    private WebRtcTransport transport;
    private boolean holdsPendingPlace;
    private ScheduledFuture<?> authenticationDeadline;
    /** Queued on the listener's list of connections to flush at the end of the read batch. */
    boolean flushQueued;

    IceTcpConnection(IceTcpListener listener, IceTcpFrameDecoder decoder) {
        this.listener = listener;
        this.decoder = decoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        remote = (InetSocketAddress) channel.remoteAddress();
        pathKey = InetSocketAddress.createUnresolved("tcp:" + remote.getAddress().getHostAddress(), remote.getPort());
        MediaCounters counters = listener.counters();
        counters.tcpConnectionsOpen.increment();
        if (!listener.pending().tryAcquire()) {
            counters.tcpConnectionsRefused.increment();
            ctx.close();
            return;
        }
        holdsPendingPlace = true;
        authenticationDeadline = ctx.executor().schedule(() -> {
            if (transport == null && channel.isOpen()) {
                counters.tcpConnectionsUnauthenticated.increment();
                channel.close();
            }
        }, listener.settings().authenticationTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        MediaServer media = listener.server();
        if (media == null || !channel.isOpen()) {
            frame.release();
            return;
        }
        media.counters().tcpFramesIn.increment();
        int first = frame.getUnsignedByte(frame.readerIndex());
        int second = frame.getUnsignedByte(frame.readerIndex() + 1);
        PacketClass packetClass = PacketClass.of(first, second);
        if (packetClass == PacketClass.STUN) {
            onStun(media, frame);
        } else if (transport == null) {
            // The decoder lets only STUN through before authentication; this is a bug guard.
            frame.release();
            refuse(media);
        } else {
            switch (packetClass) {
                case DTLS -> {
                    byte[] record = new byte[frame.readableBytes()];
                    frame.readBytes(record);
                    frame.release();
                    transport.media().onDtlsDatagram(record);
                }
                case RTP -> transport.media().onSrtp(frame);
                case RTCP -> transport.media().onSrtcp(frame);
                default -> {
                    frame.release();
                    refuse(media);
                }
            }
        }
    }

    private void onStun(MediaServer media, ByteBuf frame) {
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        frame.release();
        if ((bytes[0] & 0x01) != 0 || (bytes[1] & 0x10) != 0) {
            // A response or an indication: the node sends no checks over TCP, and indications need no answer.
            media.counters().droppedStun.increment();
            return;
        }
        IceLiteResponder.Result result = listener.responder().handle(bytes, 0, bytes.length, remote,
                ufrag -> {
                    WebRtcTransport named = media.registry().byUfrag(ufrag);
                    // Once bound, a connection answers for its own transport only.
                    return named == null || (transport != null && named != transport) ? null
                            : named.connectivity().iceSession();
                });
        if (!result.accepted()) {
            media.counters().droppedStun.increment();
            if (result.response() != null) {
                writeAndFlush(result.response());
            } else if (transport == null) {
                // Unparseable, or no transport of this node: nobody who could ever authenticate here.
                refuse(media);
            }
            return;
        }
        WebRtcTransport named = media.registry().byUfrag(result.session().localCredentials().ufrag());
        if (named == null) {
            media.counters().droppedStun.increment();
            return;
        }
        writeAndFlush(result.response());
        media.counters().stunResponses.increment();
        if (transport == null) {
            authenticated(named);
        }
        if (!transport.connectivity().onValidTcpCheck(this, result.useCandidate(), media.clock().millis(),
                result.localUfrag())) {
            // The transport holds as many connections as it may (or has closed).
            channel.close();
        }
    }

    private void authenticated(WebRtcTransport named) {
        transport = named;
        decoder.authenticate();
        givePendingPlaceBack();
    }

    private void refuse(MediaServer media) {
        media.counters().tcpConnectionsGarbage.increment();
        channel.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        MediaServer media = listener.server();
        if (media != null) {
            media.flushAll();
        } else {
            ctx.flush();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.counters().tcpConnectionsOpen.decrement();
        givePendingPlaceBack();
        if (transport != null) {
            transport.connectivity().onTcpConnectionClosed(this);
        }
    }

    private void givePendingPlaceBack() {
        if (authenticationDeadline != null) {
            authenticationDeadline.cancel(false);
            authenticationDeadline = null;
        }
        if (holdsPendingPlace) {
            holdsPendingPlace = false;
            listener.pending().release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            // A bug on one connection's packet must not go unseen; a reset by the peer is no news.
            LOG.warn("ICE-TCP connection from {} failed", remote, cause);
        }
        ctx.close();
    }

    // ---- the transport's send path ----------------------------------------------------------------

    InetSocketAddress pathKey() {
        return pathKey;
    }

    InetSocketAddress remoteAddress() {
        return remote;
    }

    /**
     * Queues {@code packet} as one frame, flushed at the end of the loop's batch. Takes ownership.
     * The length prefix goes out as a buffer of its own (pooled), so the packet is not copied.
     * Media event loop only: the two writes must not interleave with another frame's.
     */
    void write(ByteBuf packet) {
        if (!channel.isWritable()) {
            listener.counters().tcpFramesDroppedBackpressure.increment();
            packet.release();
            return;
        }
        ByteBuf prefix = channel.alloc().directBuffer(2).writeShort(packet.readableBytes());
        channel.write(prefix, channel.voidPromise());
        channel.write(packet, channel.voidPromise());
        listener.flushLater(this);
    }

    /** Sends {@code payload} as one frame now, from any thread: one buffer, so it cannot split another frame. */
    void writeAndFlush(byte[] payload) {
        if (!channel.isWritable()) {
            listener.counters().tcpFramesDroppedBackpressure.increment();
            return;
        }
        ByteBuf frame = channel.alloc().directBuffer(2 + payload.length)
                .writeShort(payload.length).writeBytes(payload);
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    void flush() {
        channel.flush();
    }

    void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "tcp " + remote;
    }
}
