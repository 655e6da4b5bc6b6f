package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.forward.DownlinkAllocator;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceSession;
import org.adam.sfu.webrtc.ice.RemoteCandidates;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;

/**
 * One peer connection's media transport on the node's shared UDP socket (or on an ICE-TCP
 * connection, RFC 6544): the facade the control plane and the media socket talk to. It wires
 * the pieces that do the work: its life cycle ({@link TransportLifecycle}), ICE agent
 * ({@link TransportIceAgent}) and ICE events ({@link TransportConnectivity}), selected path
 * ({@link SelectedPath}), consent ({@link ConsentMonitor}), DTLS-SRTP ({@link DtlsSrtpSession}),
 * SRTP media ({@link TransportMedia}) and the streams in ({@link InboundStreams}) and out
 * ({@link OutboundStreams}).
 *
 * <p>Threading: everything but the public control methods runs on the media event loop, which
 * owns the SRTP contexts and forwarding maps; control methods post to it.
 */
public final class WebRtcTransport {

    /** The close reason when the peer sent a DTLS close_notify. */
    public static final String CLOSED_BY_PEER = "DTLS closed by peer";

    private final MediaServer server;
    private final String label;
    private final boolean pipe;
    private final Channel channel;
    /** What the next offer or answer says; replaced by an ICE restart (read by the control plane). */
    private volatile LocalTransportParams local;
    private final TransportIceAgent iceAgent;
    private final InboundStreams inbound;
    private final OutboundStreams outbound;
    private final TransportConnectivity connectivity;
    private final TransportMedia media;
    private final TransportLifecycle lifecycle;

    /**
     * @param channel     the UDP socket this transport sends on: the node's shared media port, or
     *                    a pipe's own socket (owned, closed with the transport)
     */
    WebRtcTransport(MediaServer server, Channel channel, boolean ownsChannel, String label,
                    boolean pipe, LocalTransportParams local, IceSession ice, TransportListener listener) {
        this.server = server;
        this.channel = channel;
        this.pipe = pipe;
        this.label = label;
        this.local = local;
        this.iceAgent = new TransportIceAgent(this, label, pipe, channel, ice, server, TransportIceAgent.on(server));
        SelectedPath path = new SelectedPath(this, label, server.registry(), ice, server.relay(), channel,
                server.eventLoop(), server::flushAll);
        ConsentMonitor consent = new ConsentMonitor(label, pipe, ice, listener, server.iceRestartGrace().toMillis());
        DtlsSrtpSession dtls = new DtlsSrtpSession();
        this.inbound = new InboundStreams(server.counters());
        this.outbound = pipe ? OutboundStreams.forPipe() : OutboundStreams.forClient(server.counters());
        this.media = new TransportMedia(this, server, dtls, path, consent, inbound, outbound);
        this.lifecycle = new TransportLifecycle(this, label, server, ice, listener, iceAgent, path, consent, dtls,
                media, ownsChannel ? channel : null);
        this.connectivity = new TransportConnectivity(this, label, server, ice, iceAgent, path, consent, dtls,
                inbound, media::connected, lifecycle::closed);
    }

    /** This transport's ICE events (from the media socket and ICE-TCP connections). Media event loop. */
    TransportConnectivity connectivity() {
        return connectivity;
    }

    /** This transport's SRTP media in and out, and its periodic work. Media event loop. */
    TransportMedia media() {
        return media;
    }

    public LocalTransportParams localParameters() {
        return local;
    }

    public String label() {
        return label;
    }

    /** A node-to-node pipe rather than a client's peer connection. */
    public boolean isPipe() {
        return pipe;
    }

    /**
     * Runs {@code task} on the media event loop, where this transport's state lives, and flushes
     * whatever it sent (it runs outside a read batch).
     */
    public void execute(Runnable task) {
        server.eventLoop().execute(() -> {
            task.run();
            server.flushAll();
        });
    }

    /** The peer's ICE credentials and fingerprint are known: ICE checks and DTLS may proceed. */
    public void setRemoteParameters(RemoteParameters parameters) {
        execute(() -> lifecycle.applyRemote(parameters));
    }

    /**
     * ICE restart (RFC 8445 9; JSEP 5.2.1, 5.3.1): new local credentials for the next offer or
     * answer. DTLS, SRTP and the forwarding entries stay: only ICE restarts (RFC 8842 4.4). Checks
     * with the old credentials are answered until the peer's first valid check with the new ones.
     * Callable from any thread.
     *
     * @return the credentials the offer or answer must carry
     */
    public LocalTransportParams restartIce() {
        IceCredentials fresh = IceCredentials.random(server.random());
        LocalTransportParams restarted = local.withCredentials(fresh.ufrag(), fresh.pwd());
        local = restarted;
        server.registry().registerUfrag(fresh.ufrag(), this);
        execute(() -> lifecycle.restartIce(fresh));
        return restarted;
    }

    /**
     * A candidate the peer trickled or put in its SDP ({@code candidate:...}, RFC 8839 5.1); UDP
     * address literals only: checked, and let in on the node's relay, as
     * {@link TransportIceAgent#addClientCandidate} says. Any thread.
     */
    public void addRemoteCandidate(String candidate) {
        InetSocketAddress address = RemoteCandidates.udpAddress(candidate);
        if (address == null || pipe) {
            // A pipe checks the candidates of the other node's description (startConnectivityChecks).
            return;
        }
        execute(() -> {
            if (!lifecycle.closed()) {
                iceAgent.addClientCandidate(address);
            }
        });
    }

    /** Closes the transport; idempotent and callable from any thread. */
    public void close(String reason) {
        execute(() -> lifecycle.close(reason));
    }

    /**
     * Sends checks to each of the peer's {@code candidates} (a pipe; call after
     * {@link #setRemoteParameters}). As the controlling agent (the node offered the pipe) the
     * first pair that answers is nominated and carries media; as the controlled agent the checks
     * open this node's NAT for the peer's, which nominate.
     */
    public void startConnectivityChecks(List<InetSocketAddress> candidates, IceConnectivityChecker.Role role) {
        execute(() -> {
            if (!lifecycle.closed()) {
                iceAgent.startChecks(candidates, role);
            }
        });
    }

    /**
     * Asks {@code stunServer}, from this pipe's socket, where the socket is seen from, for up to
     * {@code boundMillis}; an answer adds a server-reflexive candidate to
     * {@link #localParameters()}. {@code done} runs on the media loop when it is over, either way.
     */
    void gatherReflexive(InetSocketAddress stunServer, long boundMillis, Runnable done) {
        execute(() -> iceAgent.gatherReflexive(stunServer, boundMillis, () -> local,
                mapped -> local = local.withReflexiveCandidate(mapped), done));
    }

    /** Whether {@link #sendRtp} would send now (connected, with a peer address). Media event loop. */
    public boolean canSend() {
        return media.canSend();
    }

    /**
     * Encrypts and queues one RTP packet to the peer; the media loop flushes after each read
     * batch. Takes ownership of {@code packet}, which needs writable room for the SRTP tag.
     *
     * @return false if the packet was dropped (not connected yet, or protection failed)
     */
    public boolean sendRtp(ByteBuf packet) {
        return sendRtp(packet, -1);
    }

    /**
     * As {@link #sendRtp(ByteBuf)}, stamping the transport-wide sequence number (for the peer's
     * transport-cc feedback) at absolute index {@code transportSequenceOffset} unless it is -1.
     */
    public boolean sendRtp(ByteBuf packet, int transportSequenceOffset) {
        return media.sendRtp(packet, transportSequenceOffset);
    }

    /** As {@link #sendRtp} for an RTCP compound packet. */
    public void sendRtcp(ByteBuf packet) {
        media.sendRtcp(packet);
    }

    /** Routes inbound RTP with {@code ssrc} to {@code forwarder}. Media event loop only. */
    public void addInbound(int ssrc, TrackForwarder forwarder) {
        inbound.add(ssrc, forwarder);
    }

    public void removeInbound(int ssrc) {
        inbound.remove(ssrc);
    }

    /**
     * Routes the simulcast layer {@code rid} of m-line {@code mid} to {@code layer} once a packet
     * names them in its MID and RID header extensions (RFC 8852). Media event loop only.
     */
    public void addLayerRoute(int midExtension, int ridExtension, String mid, String rid, TrackForwarder layer) {
        inbound.addLayerRoute(midExtension, ridExtension, mid, rid, layer);
    }

    public void removeLayerRoute(String mid, String rid) {
        inbound.removeLayerRoute(mid, rid);
    }

    /**
     * Routes the one stream of m-line {@code mid}, whose SSRC the SDP did not give, to
     * {@code forwarder}: by the MID header extension when negotiated ({@code midExtension} > 0),
     * else by {@code payloadType}, which no other m-line of this connection may use. Media event loop.
     */
    public void addUnsignalledRoute(int midExtension, String mid, int payloadType, TrackForwarder forwarder) {
        inbound.addUnsignalledRoute(midExtension, mid, payloadType, forwarder);
    }

    public void removeUnsignalledRoute(String mid, int payloadType) {
        inbound.removeUnsignalledRoute(mid, payloadType);
    }

    /** Routes the peer's feedback about outgoing {@code downTrack.ssrc()} to it. Media event loop only. */
    public void addOutbound(DownTrack downTrack) {
        outbound.add(downTrack);
    }

    public void removeOutbound(DownTrack downTrack) {
        outbound.remove(downTrack);
    }

    /**
     * The receiving peer takes the transport-wide sequence number under extension {@code id}
     * (-1: it does not; its REMB, if any, is the estimate then). Callable from any thread.
     */
    public void useTransportCc(int id) {
        execute(() -> outbound.useTransportCc(id));
    }

    /** The bandwidth estimate and allocation of a receiving peer; null for a pipe. */
    public DownlinkAllocator downlink() {
        return outbound.downlink();
    }

    /** The most this publishing peer may send (bits/s, told with REMB), 0 for the node's maximum. */
    public void capPublisher(long bps) {
        outbound.capPublisher(bps);
    }

    public long publisherCapBps() {
        return outbound.publisherCapBps();
    }

    /** The header extension id forwarded packets carry their transport-wide sequence in, or -1. */
    public int transportCcExtensionId() {
        return outbound.transportCcExtensionId();
    }

    /** The node's data-plane counters. */
    public MediaCounters counters() {
        return server.counters();
    }

    /** The allocator packets for this transport should come from (the media channel's pool). */
    public ByteBufAllocator allocator() {
        return channel.alloc();
    }

    /** Once a second on the media loop: consent freshness and the negotiation timeout ({@link ConsentMonitor}). */
    void checkLiveness(long nowMillis) {
        lifecycle.checkLiveness(nowMillis);
    }
}
