package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import org.adam.sfu.webrtc.dtls.DtlsListener;
import org.adam.sfu.webrtc.dtls.DtlsResult;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.forward.DownlinkAllocator;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceSession;
import org.adam.sfu.webrtc.ice.RemoteCandidates;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;
import org.adam.sfu.webrtc.srtp.SrtpProfile;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer connection's media transport on the node's shared UDP socket (or on an ICE-TCP
 * connection, RFC 6544): the facade the control plane and the media socket talk to, wiring its
 * ICE agent ({@link TransportIceAgent}), selected path ({@link SelectedPath}), consent
 * ({@link ConsentMonitor}), DTLS-SRTP ({@link DtlsSrtpSession}) and the streams in
 * ({@link InboundStreams}) and out ({@link OutboundStreams}). It owns the life cycle: negotiated,
 * connected (DTLS done), closed.
 *
 * <p>Threading: everything but the public control methods runs on the media event loop, which
 * owns the SRTP contexts and forwarding maps; control methods post to it.
 */
public final class WebRtcTransport {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTransport.class);

    /** The close reason when the peer sent a DTLS close_notify. */
    public static final String CLOSED_BY_PEER = "DTLS closed by peer";
    static final int MAX_CHECKED_CANDIDATES = TransportIceAgent.MAX_CHECKED_CANDIDATES;
    static final long CLIENT_CHECK_DELAY_MILLIS = TransportIceAgent.CLIENT_CHECK_DELAY_MILLIS;

    private final MediaServer server;
    private final String label;
    private final boolean pipe;
    private final Channel channel;
    private final boolean ownsChannel;
    /** What the next offer or answer says; replaced by an ICE restart (read by the control plane). */
    private volatile LocalTransportParams local;
    private final IceSession ice;
    private final TransportListener listener;
    private final TransportIceAgent iceAgent;
    private final SelectedPath path;
    private final ConsentMonitor consent;
    private final DtlsSrtpSession dtls = new DtlsSrtpSession();
    private final InboundStreams inbound;
    private final OutboundStreams outbound;
    private final TransportConnectivity connectivity;
    private final TransportMedia media;

    // Media event loop only.
    private RemoteParameters remote;
    private boolean closed;

    /**
     * @param channel     the UDP socket this transport sends on: the node's shared media port, or
     *                    a pipe's own socket (owned, closed with the transport)
     */
    WebRtcTransport(MediaServer server, Channel channel, boolean ownsChannel, String label,
                    boolean pipe, LocalTransportParams local, IceSession ice, TransportListener listener) {
        this.server = server;
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        this.pipe = pipe;
        this.label = label;
        this.local = local;
        this.ice = ice;
        this.listener = listener;
        this.iceAgent = new TransportIceAgent(this, label, pipe, channel, ice, server, TransportIceAgent.on(server));
        this.path = new SelectedPath(this, label, server.registry(), ice, server.relay(), channel,
                server.eventLoop(), server::flushAll);
        this.consent = new ConsentMonitor(label, pipe, ice, listener, server.iceRestartGrace().toMillis());
        this.inbound = new InboundStreams(server.counters());
        this.outbound = pipe ? OutboundStreams.forPipe() : OutboundStreams.forClient(server.counters());
        this.media = new TransportMedia(this, server, dtls, path, consent, inbound, outbound);
        this.connectivity = new TransportConnectivity(this, label, server, ice, iceAgent, path, consent, dtls,
                inbound, media::connected, () -> closed);
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
        execute(() -> applyRemote(parameters));
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
        execute(() -> {
            if (closed) {
                server.registry().retireUfrag(fresh.ufrag(), this);
                return;
            }
            iceAgent.dropClientChecks();
            String dropped = ice.restart(fresh);
            if (dropped != null) {
                server.registry().retireUfrag(dropped, this);
            }
            LOG.info("transport {}: ICE restart, new local credentials {}", label, fresh.ufrag());
        });
        return restarted;
    }

    /**
     * A candidate the peer trickled or put in its SDP ({@code candidate:...}, RFC 8839 5.1); UDP
     * address literals only. A node behind NAT (MediaServerConfig#checkClientCandidates) checks
     * it as the controlled agent, up to {@value TransportIceAgent#MAX_CHECKED_CANDIDATES} per
     * transport: the check opens the way through the node's router for the peer's checks, which
     * nominate (the node announces its public address, but its router lets in only what answers
     * something sent from behind it). And checks that reach the node through its own TURN relay
     * pass only from addresses the relay was told to let in. Any thread.
     */
    public void addRemoteCandidate(String candidate) {
        InetSocketAddress address = RemoteCandidates.udpAddress(candidate);
        if (address == null || pipe) {
            // A pipe checks the candidates of the other node's description (startConnectivityChecks).
            return;
        }
        execute(() -> {
            if (!closed) {
                iceAgent.addClientCandidate(address);
            }
        });
    }

    /** Closes the transport; idempotent and callable from any thread. */
    public void close(String reason) {
        execute(() -> closeNow(reason));
    }

    private void applyRemote(RemoteParameters parameters) {
        if (closed) {
            return;
        }
        if (remote != null) {
            if (!remote.fingerprintSha256().equalsIgnoreCase(parameters.fingerprintSha256())) {
                // A new certificate needs a new DTLS association, which a restart does not make.
                LOG.warn("transport {}: renegotiation changed the DTLS fingerprint; the first one stays", label);
            }
            if (!remote.iceUfrag().equals(parameters.iceUfrag())) {
                ice.setRemoteCredentials(parameters.iceUfrag(), parameters.icePwd());
                remote = new RemoteParameters(parameters.iceUfrag(), parameters.icePwd(),
                        remote.fingerprintSha256(), remote.localRole());
                LOG.info("transport {}: ICE restart, peer's new credentials {}", label, parameters.iceUfrag());
                iceAgent.dropClientChecks();
                iceAgent.peerDescribed(new IceCredentials(remote.iceUfrag(), remote.icePwd()), server.nowMillis());
            }
            return;
        }
        remote = parameters;
        long nowMillis = server.nowMillis();
        consent.negotiated(nowMillis);
        iceAgent.peerDescribed(new IceCredentials(parameters.iceUfrag(), parameters.icePwd()), nowMillis);
        ice.setRemoteCredentials(parameters.iceUfrag(), parameters.icePwd());
        dtls.open(DtlsSrtpSession.Handshake.of(server.newDtlsEndpoint(parameters.localRole(),
                parameters.fingerprintSha256(), path::sendDtls, new DtlsEvents())));
        // A DTLS server waits for the ClientHello; a client speaks first, so only once ICE has
        // told it where the peer is.
        if (parameters.localRole() == DtlsRole.SERVER || path.remoteAddress() != null) {
            dtls.start();
        }
    }

    /**
     * Sends checks to each of the peer's {@code candidates} (a pipe; call after
     * {@link #setRemoteParameters}). As the controlling agent (the node offered the pipe) the
     * first pair that answers is nominated and carries media; as the controlled agent the checks
     * open this node's NAT for the peer's, which nominate.
     */
    public void startConnectivityChecks(List<InetSocketAddress> candidates, IceConnectivityChecker.Role role) {
        execute(() -> {
            if (!closed) {
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
        execute(() -> iceAgent.gatherReflexive(stunServer, boundMillis, mapped -> {
            InetSocketAddress host = (InetSocketAddress) channel.localAddress();
            if (mapped == null) {
                LOG.warn("transport {}: no answer from STUN server {}: offering host candidates only",
                        label, stunServer);
            } else if (mapped.getPort() != host.getPort() || !local.candidateIps().contains(
                    mapped.getAddress().getHostAddress())) {
                local = local.withReflexiveCandidate(mapped);
                LOG.info("transport {}: server-reflexive address {}", label, mapped);
            }
            done.run();
        }));
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
        if (!closed) {
            String reason = consent.check(nowMillis, media.connected());
            if (reason != null) {
                closeNow(reason);
            }
        }
    }

    private void onHandshakeComplete(DtlsResult result) {
        if (closed) {
            return;
        }
        SrtpProfile profile = media.connect(result);
        if (profile == null) {
            closeNow("DTLS negotiated unknown SRTP profile " + result.srtpProfileId());
            return;
        }
        LOG.info("transport {} connected: DTLS done, SRTP {} with {}", label, profile, path.remoteAddress());
        listener.onConnected();
    }

    private void closeNow(String reason) {
        closeNow(reason, false);
    }

    private void closeNow(String reason, boolean byPeer) {
        if (closed) {
            return;
        }
        closed = true;
        media.close();
        server.registry().remove(this);
        dtls.close();
        path.close();
        iceAgent.close();
        if (ownsChannel) {
            channel.close();
        }
        LOG.info("transport {} closed: {}", label, reason);
        if (byPeer) {
            listener.onClosedByPeer();
        } else {
            listener.onClosed(reason);
        }
    }

    /** DTLS callbacks arrive on a handshake thread, the deadline timer or this loop, and are moved onto the loop. */
    private final class DtlsEvents implements DtlsListener {
        @Override
        public void onHandshakeComplete(DtlsResult result) {
            execute(() -> WebRtcTransport.this.onHandshakeComplete(result));
        }

        @Override
        public void onHandshakeFailed(Throwable cause) {
            execute(() -> closeNow("DTLS handshake failed: " + cause.getMessage()));
        }

        @Override
        public void onClosed() {
            execute(() -> closeNow(CLOSED_BY_PEER, true));
        }
    }
}
