package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.adam.sfu.webrtc.ice.IceLiteResponder;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First stop of every datagram on the media port: classify it (RFC 7983), answer STUN checks,
 * and hand DTLS, SRTP and SRTCP to the transport that owns the sender's address. What the node's
 * TURN server sends goes to the worker's {@link NodeRelay} first, which hands the peers' datagrams
 * back here. Anything that fits no class or no transport is dropped and counted, never thrown.
 */
final class MediaPacketHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger LOG = LoggerFactory.getLogger(MediaPacketHandler.class);

    private final Supplier<MediaServer> server;
    private final IceLiteResponder responder = new IceLiteResponder();
    /** This socket's context, for what the relay hands back (one handler per socket). */
    private ChannelHandlerContext context;
    private final NodeRelay.RelayedSink relayed;

    MediaPacketHandler(Supplier<MediaServer> server) {
        super(false); // ownership of each datagram's buffer passes on or is released below
        this.server = server;
        this.relayed = (content, peer, pathKey) -> classify(context, server.get(), content, peer, pathKey);
    }

    /** Where the node's relay hands what reached it for this socket (over TCP to the TURN server). */
    NodeRelay.RelayedSink relayedSink() {
        return relayed;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
        MediaServer media = server.get();
        ByteBuf content = datagram.content();
        InetSocketAddress sender = datagram.sender();
        if (media == null || content.readableBytes() < 2) {
            datagram.release();
            return;
        }
        media.counters().datagramsIn.increment();
        NodeRelay relay = media.relay();
        if (relay != null && relay.owns(ctx.channel(), sender)) {
            relay.onDatagram(content, media.clock().millis(), relayed);
            return;
        }
        classify(ctx, media, content, sender, sender);
    }

    /**
     * One datagram from {@code peer}, which transports know by {@code pathKey}: the peer's own
     * address when it came straight to the socket, a relay path key when it came through the
     * node's TURN relay (then answers go back through the relay). Takes ownership of {@code content}.
     */
    private void classify(ChannelHandlerContext ctx, MediaServer media, ByteBuf content, InetSocketAddress peer,
                          InetSocketAddress pathKey) {
        int first = content.getUnsignedByte(content.readerIndex());
        int second = content.getUnsignedByte(content.readerIndex() + 1);
        switch (PacketClass.of(first, second)) {
            case STUN -> onStun(ctx, media, content, peer, pathKey);
            case DTLS -> onDtls(media, content, pathKey);
            case RTP -> {
                WebRtcTransport transport = media.registry().byAddress(pathKey);
                if (transport == null) {
                    media.counters().droppedUnknownSender.increment();
                    content.release();
                } else {
                    transport.media().onSrtp(content);
                }
            }
            case RTCP -> {
                WebRtcTransport transport = media.registry().byAddress(pathKey);
                if (transport == null) {
                    media.counters().droppedUnknownSender.increment();
                    content.release();
                } else {
                    transport.media().onSrtcp(content);
                }
            }
            default -> {
                media.counters().droppedUnknownClass.increment();
                content.release();
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        MediaServer media = server.get();
        if (media != null) {
            media.flushAll();
        } else {
            ctx.flush();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A bug on one packet must not stop the socket that carries every call.
        LOG.warn("media packet handling failed", cause);
    }

    private void onStun(ChannelHandlerContext ctx, MediaServer media, ByteBuf content, InetSocketAddress peer,
                        InetSocketAddress pathKey) {
        byte[] bytes = new byte[content.readableBytes()];
        content.readBytes(bytes);
        content.release();
        if ((bytes[0] & 0x01) != 0 || (bytes.length > 1 && (bytes[1] & 0x10) != 0)) {
            onStunResponse(ctx, media, bytes, pathKey);
            return;
        }
        IceLiteResponder.Result result = responder.handle(bytes, 0, bytes.length, peer,
                ufrag -> {
                    WebRtcTransport transport = media.registry().byUfrag(ufrag);
                    return transport == null ? null : transport.connectivity().iceSession();
                });
        if (!result.accepted()) {
            media.counters().droppedStun.increment();
            if (result.response() != null) {
                reply(ctx, media, result.response(), peer, pathKey);
            }
            return;
        }
        WebRtcTransport transport = media.registry().byUfrag(result.localUfrag());
        if (transport == null) {
            media.counters().droppedStun.increment();
            return;
        }
        reply(ctx, media, result.response(), peer, pathKey);
        media.counters().stunResponses.increment();
        transport.connectivity().onValidIceCheck(pathKey, result.useCandidate(), media.clock().millis(),
                result.localUfrag(), ctx.channel());
    }

    /** Answers a check the way it came: on this socket, or back through the relay. */
    private static void reply(ChannelHandlerContext ctx, MediaServer media, byte[] response, InetSocketAddress peer,
                              InetSocketAddress pathKey) {
        ByteBuf out = ctx.alloc().directBuffer(response.length).writeBytes(response);
        if (pathKey == peer) {
            ctx.write(new DatagramPacket(out, peer));
        } else {
            media.relay().write(peer, out);
        }
    }

    /**
     * Success and error responses (class bits set) answer a pipe's checks or its STUN request: a
     * pipe's socket is its own, so what comes to it is its transport's.
     */
    private static void onStunResponse(ChannelHandlerContext ctx, MediaServer media, byte[] bytes,
                                       InetSocketAddress sender) {
        WebRtcTransport owner = ctx.channel().attr(MediaServer.PIPE_TRANSPORT).get();
        if (owner != null && owner.connectivity().onGatheringResponse(bytes, sender)) {
            return;
        }
        StunMessage response;
        try {
            response = StunMessage.parse(bytes, 0, bytes.length);
        } catch (StunParseException e) {
            media.counters().droppedStun.increment();
            return;
        }
        long now = media.clock().millis();
        WebRtcTransport transport = owner != null ? owner : media.registry().byAddress(sender);
        if (transport != null && transport.connectivity().onStunResponse(response, sender, now)) {
            return;
        }
        if (owner == null) {
            // An answer to a check a client transport sent to a candidate its client named.
            List<WebRtcTransport> checking = media.registry().checking(sender);
            for (int i = 0; i < checking.size(); i++) {
                WebRtcTransport candidate = checking.get(i);
                if (candidate != transport && candidate.connectivity().onStunResponse(response, sender, now)) {
                    return;
                }
            }
        }
        media.counters().droppedStun.increment();
    }

    private void onDtls(MediaServer media, ByteBuf content, InetSocketAddress sender) {
        WebRtcTransport transport = media.registry().byAddress(sender);
        if (transport == null) {
            media.counters().droppedUnknownSender.increment();
            content.release();
            return;
        }
        byte[] bytes = new byte[content.readableBytes()];
        content.readBytes(bytes);
        content.release();
        transport.media().onDtlsDatagram(bytes);
    }
}
