package org.adam.sfu.webrtc.transport;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.webrtc.dtls.DtlsResult;
import org.adam.sfu.webrtc.srtp.SrtpProfile;

/**
 * One transport's SRTP media once DTLS has keyed it: decrypts what the peer sends and hands it
 * to its streams ({@link InboundStreams}) or, for RTCP, to the feedback handler; encrypts what
 * goes to the peer, stamps transport-wide sequence numbers ({@link OutboundStreams}) and queues
 * it on the selected path; and the streams' periodic work (receiver reports, bandwidth,
 * deferred keyframe requests), all while connected.
 *
 * <p>Threading: media event loop only.
 */
final class TransportMedia {

    private final WebRtcTransport owner;
    private final MediaServer server;
    private final DtlsSrtpSession dtls;
    private final SelectedPath path;
    private final ConsentMonitor consent;
    private final InboundStreams inbound;
    private final OutboundStreams outbound;
    /** DTLS is done and SRTP keyed, until the transport closes. */
    private boolean connected;
    /** The transport closed: the peer's DTLS records are ignored. */
    private boolean closed;

    TransportMedia(WebRtcTransport owner, MediaServer server, DtlsSrtpSession dtls, SelectedPath path,
                   ConsentMonitor consent, InboundStreams inbound, OutboundStreams outbound) {
        this.owner = owner;
        this.server = server;
        this.dtls = dtls;
        this.path = path;
        this.consent = consent;
        this.inbound = inbound;
        this.outbound = outbound;
    }

    boolean connected() {
        return connected;
    }

    /**
     * Keys SRTP from a finished handshake; connected from now on.
     *
     * @return the negotiated profile, or null if the node does not know it (then not connected)
     */
    SrtpProfile connect(DtlsResult result) {
        SrtpProfile profile = dtls.onHandshakeComplete(result);
        connected = profile != null;
        return profile;
    }

    /** Nothing more is sent or received; the streams are forgotten. */
    void close() {
        closed = true;
        connected = false;
        inbound.clear();
        outbound.clear();
    }

    /** A DTLS record from the peer. */
    void onDtlsDatagram(byte[] datagram) {
        if (!closed) {
            dtls.onDatagram(datagram);
        }
    }

    /** Takes ownership of {@code packet} (an SRTP packet). */
    void onSrtp(ByteBuf packet) {
        if (!dtls.keyed()) {
            server.counters().droppedNotConnected.increment();
            packet.release();
            return;
        }
        if (dtls.unprotectRtp(packet) < 0) {
            server.counters().droppedSrtp.increment();
            packet.release();
            return;
        }
        inbound.deliver(packet, server.clock().nanos());
    }

    /** Takes ownership of {@code packet} (an SRTCP compound packet). */
    void onSrtcp(ByteBuf packet) {
        try {
            if (!dtls.keyed()) {
                server.counters().droppedNotConnected.increment();
                return;
            }
            if (dtls.unprotectRtcp(packet) < 0) {
                server.counters().droppedSrtcp.increment();
                return;
            }
            server.rtcpFeedback().handle(packet, inbound.bySsrc(), outbound.bySsrc(), outbound.downlink(),
                    outbound.transportCcExtensionId() > 0, server.clock().nanos(), server.counters());
        } finally {
            packet.release();
        }
    }

    /** Whether sends go out now: connected, with a peer address, and with the peer's consent. */
    boolean canSend() {
        return connected && path.remoteAddress() != null && !consent.lost();
    }

    /** See {@link WebRtcTransport#sendRtp(ByteBuf, int)}. Takes ownership of {@code packet}. */
    boolean sendRtp(ByteBuf packet, int transportSequenceOffset) {
        if (!canSend()) {
            packet.release();
            return false;
        }
        if (transportSequenceOffset >= 0) {
            outbound.stampTransportSequence(packet, transportSequenceOffset, server.clock().nanos());
        }
        if (dtls.protectRtp(packet) < 0) {
            packet.release();
            return false;
        }
        path.write(packet);
        return true;
    }

    /** See {@link WebRtcTransport#sendRtcp}. Takes ownership of {@code packet}. */
    void sendRtcp(ByteBuf packet) {
        if (!canSend() || dtls.protectRtcp(packet) < 0) {
            packet.release();
            return;
        }
        path.write(packet);
    }

    /**
     * Sends keyframe requests that were deferred to the end of their coalescing interval, for
     * streams whose packets have stopped (a paused layer) and so cannot carry them out.
     */
    void flushKeyframeRequests(long nowNanos) {
        if (connected) {
            inbound.flushKeyframeRequests(nowNanos);
        }
    }

    /** Paces probes and reallocates layers by bandwidth, every {@code tickNanos}. */
    void tickBandwidth(long nowNanos, long tickNanos) {
        outbound.tick(nowNanos, tickNanos, connected);
    }

    /** Once a second: receiver reports and REMB to a publishing peer. */
    void sendReceiverReports(long nowNanos) {
        if (connected && !inbound.isEmpty()) {
            server.receiverReports().send(owner, inbound.bySsrc(), nowNanos);
        }
    }
}
