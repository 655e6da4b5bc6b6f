package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.collection.IntObjectHashMap;
import org.adam.sfu.webrtc.dtls.DtlsEndpoint;
import org.adam.sfu.webrtc.dtls.DtlsResult;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.bwe.BandwidthEstimator;
import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.forward.DownlinkAllocator;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.ice.IceCheckList;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceSession;
import org.adam.sfu.webrtc.ice.RemoteCandidates;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.rtp.RtpPacket;
import org.adam.sfu.webrtc.srtp.SrtpKeys;
import org.adam.sfu.webrtc.srtp.SrtpProfile;
import org.adam.sfu.webrtc.srtp.SrtpReceiveContext;
import org.adam.sfu.webrtc.srtp.SrtpSendContext;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer connection's media transport on the node's shared UDP socket (or on an ICE-TCP
 * connection, RFC 6544): ICE-lite session, DTLS endpoint, SRTP contexts and the forwarding
 * entries that start or end here.
 *
 * <p>Threading: everything but the public control methods runs on the media event loop, which
 * owns the SRTP contexts and forwarding maps; control methods post to it.
 */
public final class WebRtcTransport {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTransport.class);

    /** The close reason when the peer sent a DTLS close_notify. */
    public static final String CLOSED_BY_PEER = "DTLS closed by peer";
    private static final int MAX_EARLY_DTLS = 16;
    /**
     * Receivers start at what a good link carries (every layer), and fall within a window or two
     * of the first overuse: starting low would make every receiver climb for seconds.
     */
    private static final long INITIAL_ESTIMATE_BPS = 5_000_000;
    private static final long MIN_ESTIMATE_BPS = 100_000;
    private static final long MAX_ESTIMATE_BPS = 50_000_000;
    /**
     * A nominated ICE-TCP pair takes over from a selected UDP path only once that path has had no
     * valid check for this long (browsers check a selected pair every 2.5 s): of several nominated
     * pairs the controlled agent uses the highest-priority one (RFC 8445 8.1.1), and UDP's is higher.
     */
    private static final long UDP_PREFERRED_MILLIS = 6_000;
    /** A browser gathers a host, a server-reflexive and a relay candidate per network, a few networks at most. */
    static final int MAX_RELAY_PERMITS = 8;
    /** Candidates of a client the node checks at most (each for at most IceCheckList.GIVE_UP_MILLIS unanswered). */
    static final int MAX_CHECKED_CANDIDATES = 8;
    /** How long after a client's description the node starts checking its candidates (checkCandidateSoon). */
    static final long CLIENT_CHECK_DELAY_MILLIS = 500;

    private final MediaServer server;
    private final String label;
    private final boolean pipe;
    private final io.netty.channel.Channel channel;
    private final boolean ownsChannel;
    /** What the next offer or answer says; replaced by an ICE restart (read by the control plane). */
    private volatile LocalTransportParams local;
    private final IceSession ice;
    private final TransportListener listener;

    // Media event loop only.
    private RemoteParameters remote;
    private DtlsEndpoint dtls;
    private final ArrayDeque<byte[]> earlyDtls = new ArrayDeque<>();
    private SrtpReceiveContext srtpIn;
    private SrtpSendContext srtpOut;
    private volatile InetSocketAddress remoteAddress; // read by the DTLS thread too
    /** ICE-TCP connections that carried a valid check for this transport (RFC 6544). */
    private final ArrayList<IceTcpConnection> tcpConnections = new ArrayList<>(1);
    /** The selected pair when it is one of those connections (then remoteAddress is its path key); else null. */
    private volatile IceTcpConnection tcpPath;
    /** The peer's address when the selected pair runs through the node's TURN relay (remoteAddress is then its path key); else null. */
    private volatile InetSocketAddress relayPeer;
    /** Client candidate addresses this transport asked the relay to let in; released on close. */
    private final ArrayList<InetSocketAddress> relayPermits = new ArrayList<>(2);
    private long lastUdpCheckMillis = Long.MIN_VALUE / 2;
    /**
     * The UDP socket the selected pair's checks arrive on, which sends to the peer: the node may
     * listen on several addresses (IPv4 and IPv6) on one port. Read by the DTLS thread too.
     */
    private volatile io.netty.channel.Channel socket;
    private boolean connected;
    /** No valid check for the consent timeout (RFC 7675): nothing is sent until one comes, or the grace ends. */
    private boolean consentLost;
    private long consentLostAtMillis;
    private boolean closed;
    private long negotiatedAtMillis = -1;
    /** When the peer's current ICE credentials were learnt (its newest offer or answer). */
    private long remoteDescribedAtMillis;
    /**
     * The checks this transport sends: a pipe's to the other node's candidates, a client
     * transport's to its client's when the node sits behind NAT (MediaServerConfig); null for none.
     */
    private IceCheckList checks;
    /** A pipe's STUN request for its socket's server-reflexive address, until answered or given up. */
    private ReflexiveGathering gathering;
    private boolean dtlsStarted;
    private final IntObjectHashMap<TrackForwarder> inbound = new IntObjectHashMap<>();
    private final IntObjectHashMap<DownTrack> outbound = new IntObjectHashMap<>();
    /** Streams the SDP named by rid, MID or payload type, not SSRC: bound to an SSRC on their first packet. */
    private final UnsignalledStreams unsignalled = new UnsignalledStreams();
    /** The peer's id for the transport-wide sequence number extension, -1 if not negotiated. */
    private int transportCcExtensionId = -1;
    private int nextTransportSequence;
    private volatile long publisherCapBps;
    /** A receiving peer's bandwidth estimate and its sharing among the tracks sent to it (null for pipes). */
    private final DownlinkAllocator downlink;

    /**
     * @param channel     the UDP socket this transport sends on: the node's shared media port, or
     *                    a pipe's own socket (owned, closed with the transport)
     */
    WebRtcTransport(MediaServer server, io.netty.channel.Channel channel, boolean ownsChannel, String label,
                    boolean pipe, LocalTransportParams local, IceSession ice, TransportListener listener) {
        this.server = server;
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        this.pipe = pipe;
        this.label = label;
        this.local = local;
        this.ice = ice;
        this.listener = listener;
        this.socket = channel;
        this.downlink = pipe ? null : new DownlinkAllocator(
                new BandwidthEstimator(INITIAL_ESTIMATE_BPS, MIN_ESTIMATE_BPS, MAX_ESTIMATE_BPS), server.counters());
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
            dropClientChecks();
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
     * it as the controlled agent, up to {@value #MAX_CHECKED_CANDIDATES} per transport: the check
     * opens the way through the node's router for the peer's checks, which nominate (the node
     * announces its public address, but its router lets in only what answers something sent from
     * behind it). And checks that reach the node through its own TURN relay pass only from
     * addresses the relay was told to let in. Any thread.
     */
    public void addRemoteCandidate(String candidate) {
        InetSocketAddress address = RemoteCandidates.udpAddress(candidate);
        if (address == null || pipe) {
            // A pipe checks the candidates of the other node's description (startConnectivityChecks).
            return;
        }
        execute(() -> {
            if (closed) {
                return;
            }
            if (server.checksClientCandidates()) {
                checkCandidateSoon(address);
            }
            permitOnRelay(address);
        });
    }

    /**
     * Checks {@code address} once the peer has had time to take in this side's description: a
     * check that overtakes the node's answer breaks some stacks (aiortc's aioice fails the
     * connection), and one that waits costs a peer behind the node's NAT no more than the wait,
     * since its own checks are retransmitted until one gets in.
     */
    private void checkCandidateSoon(InetSocketAddress address) {
        long wait = remoteDescribedAtMillis + CLIENT_CHECK_DELAY_MILLIS - server.nowMillis();
        if (wait <= 0) {
            checkCandidate(address);
            return;
        }
        server.eventLoop().schedule(() -> {
            if (!closed) {
                checkCandidate(address);
                server.flushAll();
            }
        }, wait, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void checkCandidate(InetSocketAddress address) {
        if (remote == null || server.socketFor(address) == null) {
            return;
        }
        if (checks == null) {
            checks = new IceCheckList(ice.localCredentials(), new IceCredentials(remote.iceUfrag(), remote.icePwd()),
                    List.of(), IceConnectivityChecker.Role.CONTROLLED, server.random());
        }
        if (checks.size() < MAX_CHECKED_CANDIDATES && checks.add(address)) {
            server.registry().addCheckTarget(address, this);
            pollChecks(server.nowMillis());
        }
    }

    private void permitOnRelay(InetSocketAddress address) {
        NodeRelay relay = server.relay();
        if (relay == null || relayPermits.contains(address) || relayPermits.size() >= MAX_RELAY_PERMITS) {
            return;
        }
        if (relay.permit(address, server.nowMillis())) {
            relayPermits.add(address);
        } else {
            LOG.warn("transport {}: the relay lets in no more peers; {} cannot reach the node through it",
                    label, address);
        }
    }

    /** A new ICE generation (either side restarted): its candidates are checked with its credentials. */
    private void dropClientChecks() {
        if (checks != null && !pipe) {
            server.registry().removeCheckTargets(checks.targets(), this);
            checks = null;
        }
    }

    /** Closes the transport; idempotent and callable from any thread. */
    public void close(String reason) {
        execute(() -> closeNow(reason));
    }

    // ---- called by the media event loop ------------------------------------------------------

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
                dropClientChecks();
                remoteDescribedAtMillis = server.nowMillis();
            }
            return;
        }
        remote = parameters;
        negotiatedAtMillis = server.nowMillis();
        remoteDescribedAtMillis = negotiatedAtMillis;
        ice.setRemoteCredentials(parameters.iceUfrag(), parameters.icePwd());
        dtls = server.newDtlsEndpoint(parameters.localRole(), parameters.fingerprintSha256(),
                this::sendDtls, new DtlsEvents());
        // A DTLS server waits for the ClientHello; a client speaks first, so only once ICE has
        // told it where the peer is.
        if (parameters.localRole() == DtlsRole.SERVER || remoteAddress != null) {
            startDtls();
        }
    }

    private void startDtls() {
        if (dtlsStarted || dtls == null) {
            return;
        }
        dtlsStarted = true;
        dtls.start();
        while (!earlyDtls.isEmpty()) {
            dtls.onDatagram(earlyDtls.poll());
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
            if (closed || remote == null) {
                return;
            }
            checks = new IceCheckList(ice.localCredentials(), new IceCredentials(remote.iceUfrag(), remote.icePwd()),
                    candidates, role, server.random());
            pollChecks(server.nowMillis());
        });
    }

    /**
     * Asks {@code stunServer}, from this pipe's socket, where the socket is seen from, for up to
     * {@code boundMillis}; an answer adds a server-reflexive candidate to
     * {@link #localParameters()}. {@code done} runs on the media loop when it is over, either way.
     */
    void gatherReflexive(InetSocketAddress stunServer, long boundMillis, Runnable done) {
        execute(() -> {
            gathering = new ReflexiveGathering(stunServer, server.random(), server.nowMillis(), boundMillis, mapped -> {
                gathering = null;
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
            });
            if (closed) {
                gathering.finish(null);
            } else {
                gathering.poll(channel, server.nowMillis());
            }
        });
    }

    /** Sends due connectivity or consent checks and STUN requests. Media event loop. */
    void pollChecks(long nowMillis) {
        if (closed) {
            return;
        }
        if (gathering != null) {
            gathering.poll(channel, nowMillis);
        }
        if (checks != null) {
            checks.poll(nowMillis, this::sendCheck);
        }
    }

    private void sendCheck(byte[] check, InetSocketAddress target) {
        // A pipe sends from its own socket; a client transport from the media socket of the target's family.
        io.netty.channel.Channel out = pipe ? channel : server.socketFor(target);
        if (out != null) {
            out.writeAndFlush(new DatagramPacket(out.alloc().directBuffer(check.length).writeBytes(check), target));
        }
    }

    /** A pipe's STUN server answered its Binding request: true if {@code datagram} was that answer. */
    boolean onGatheringResponse(byte[] datagram, InetSocketAddress from) {
        return gathering != null && gathering.onResponse(datagram, from);
    }

    /**
     * A STUN response from {@code from}.
     *
     * @return whether it answered one of this transport's checks
     */
    boolean onStunResponse(StunMessage response, InetSocketAddress from, long nowMillis) {
        if (checks == null) {
            return false;
        }
        IceCheckList.Answer answer = checks.onResponse(response, from);
        if (answer == IceCheckList.Answer.NONE) {
            return false;
        }
        if (checks.role() == IceConnectivityChecker.Role.CONTROLLED) {
            // The controlled side's answered checks only opened its NAT: the peer's checks nominate.
            return true;
        }
        if (answer == IceCheckList.Answer.NOMINATED) {
            LOG.info("transport {}: nominated the pair to {}", label, from);
        }
        ice.onValidCheck(from, true, nowMillis);
        if (!from.equals(remoteAddress)) {
            remoteAddress = from;
            server.registry().bindAddress(from, this);
        }
        startDtls();
        return true;
    }

    /**
     * A valid check from {@code from}, naming our {@code localUfrag}, arrived on UDP socket
     * {@code on}. A nominated check from a new address (the client moved, or restarted ICE) moves
     * the selected pair, and with it where media goes and whose datagrams are this transport's.
     */
    void onValidIceCheck(InetSocketAddress from, boolean useCandidate, long nowMillis, String localUfrag,
                         io.netty.channel.Channel on) {
        lastUdpCheckMillis = nowMillis;
        if (pipe && checks != null && on == channel && checks.add(from)) {
            pollChecks(nowMillis);
        }
        afterValidCheck(ice.onValidCheck(from, useCandidate, nowMillis, localUfrag), from);
        if (tcpPath != null) {
            // A TCP connection's check came first: UDP replaces it until the peer nominates, so
            // that the peer's DTLS over UDP finds its address known (only the selected one is).
            ice.preferUnlessNominated(from);
        }
        if (from.equals(ice.selectedAddress())) {
            socket = on;
        }
        followSelection();
        startDtls();
    }

    /**
     * A valid check arrived on ICE-TCP {@code connection}. The ICE session knows the connection by
     * its path key, so UDP and TCP pairs are selected and nominated by the same rule.
     *
     * @return false if this transport takes no more connections (closed, or at its bound): close it
     */
    boolean onValidTcpCheck(IceTcpConnection connection, boolean useCandidate, long nowMillis, String localUfrag) {
        if (closed) {
            return false;
        }
        if (!tcpConnections.contains(connection)) {
            if (tcpConnections.size() >= server.iceTcpSettings().maxPerTransport()) {
                return false;
            }
            tcpConnections.add(connection);
        }
        boolean udpSelectedAndAlive = tcpPath == null && remoteAddress != null
                && nowMillis - lastUdpCheckMillis < UDP_PREFERRED_MILLIS;
        afterValidCheck(ice.onValidCheck(connection.pathKey(), useCandidate && !udpSelectedAndAlive, nowMillis,
                localUfrag), connection.pathKey());
        followSelection();
        startDtls();
        return true;
    }

    /** What any valid check ends: a finished ICE restart's old credentials, a consent that was lost. */
    private void afterValidCheck(String retiredUfrag, InetSocketAddress from) {
        if (retiredUfrag != null) {
            server.registry().retireUfrag(retiredUfrag, this);
            LOG.info("transport {}: ICE restart complete, checks with the old credentials are no longer answered",
                    label);
        }
        if (consentLost) {
            consentLost = false;
            LOG.info("transport {}: consent regained from {}", label, from);
            listener.onConsentRestored();
        }
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

    /** Sends go where the ICE session's selected pair is: a UDP address, or an ICE-TCP connection. */
    private void followSelection() {
        InetSocketAddress selected = ice.selectedAddress();
        if (selected == null || selected.equals(remoteAddress)) {
            return;
        }
        if (remoteAddress != null && tcpPath == null) {
            server.registry().unbindAddress(remoteAddress, this);
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
            server.registry().bindAddress(selected, this);
        } else {
            LOG.info("transport {}: selected ICE-TCP connection {}", label, tcp);
        }
        if (moved && connected) {
            // What the peer sent while its old path was dying is lost for good, and its receivers
            // will ask for a keyframe once they notice: ask now, as its media comes back.
            long nowNanos = server.nowNanos();
            for (TrackForwarder forwarder : inbound.values()) {
                forwarder.requestKeyframe(nowNanos);
            }
        }
    }

    /** The path this transport's media takes now. Media event loop. */
    TransportPaths.Path selectedPath() {
        if (!connected || remoteAddress == null) {
            return TransportPaths.Path.NONE;
        }
        if (tcpPath != null) {
            return TransportPaths.Path.TCP;
        }
        return relayPeer != null ? TransportPaths.Path.RELAY : TransportPaths.Path.UDP;
    }

    void forgetAddress(InetSocketAddress address) {
        execute(() -> {
            if (address.equals(remoteAddress)) {
                remoteAddress = null;
            }
        });
    }

    IceSession iceSession() {
        return ice;
    }

    void onDtlsDatagram(byte[] datagram) {
        if (closed) {
            return;
        }
        if (!dtlsStarted) {
            if (earlyDtls.size() < MAX_EARLY_DTLS) {
                earlyDtls.add(datagram);
            }
            return;
        }
        dtls.onDatagram(datagram);
    }

    /** Takes ownership of {@code packet} (an SRTP packet). */
    void onSrtp(ByteBuf packet) {
        if (srtpIn == null) {
            server.counters().droppedNotConnected.increment();
            packet.release();
            return;
        }
        if (srtpIn.unprotectRtp(packet) < 0) {
            server.counters().droppedSrtp.increment();
            packet.release();
            return;
        }
        int ssrc = RtpPacket.ssrc(packet);
        TrackForwarder forwarder = inbound.get(ssrc);
        if (forwarder == null && !unsignalled.isEmpty()) {
            forwarder = unsignalled.bind(packet, ssrc);
            if (forwarder != null) {
                inbound.put(ssrc, forwarder);
            }
        }
        if (forwarder == null) {
            server.counters().droppedUnknownSsrc.increment();
            packet.release();
            return;
        }
        forwarder.forward(packet, server.nowNanos());
    }

    /** Takes ownership of {@code packet} (an SRTCP compound packet). */
    void onSrtcp(ByteBuf packet) {
        try {
            if (srtpIn == null) {
                server.counters().droppedNotConnected.increment();
                return;
            }
            if (srtpIn.unprotectRtcp(packet) < 0) {
                server.counters().droppedSrtcp.increment();
                return;
            }
            server.rtcpFeedback().handle(packet, inbound, outbound, downlink, transportCcExtensionId > 0,
                    server.nowNanos(), server.counters());
        } finally {
            packet.release();
        }
    }

    /** Whether {@link #sendRtp} would send now (connected, with a peer address). Media event loop. */
    public boolean canSend() {
        return connected && remoteAddress != null && !consentLost;
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
        if (!connected || remoteAddress == null || consentLost) {
            packet.release();
            return false;
        }
        if (transportSequenceOffset >= 0) {
            int seq = nextTransportSequence++ & 0xFFFF;
            packet.setShort(transportSequenceOffset, seq);
            downlink.estimator().onSent(seq, packet.readableBytes(), server.nowNanos());
        }
        if (srtpOut.protectRtp(packet) < 0) {
            packet.release();
            return false;
        }
        write(packet);
        return true;
    }

    /**
     * Queued on the selected path; the media loop flushes every socket at the end of each read
     * batch (batched sends). Takes ownership of {@code packet}.
     */
    private void write(ByteBuf packet) {
        IceTcpConnection tcp = tcpPath;
        InetSocketAddress relayed = relayPeer;
        if (tcp != null) {
            tcp.write(packet);
        } else if (relayed != null) {
            server.relay().write(relayed, packet);
        } else {
            socket.write(new DatagramPacket(packet, remoteAddress));
        }
    }

    /** As {@link #sendRtp} for an RTCP compound packet. */
    public void sendRtcp(ByteBuf packet) {
        if (!connected || remoteAddress == null || consentLost) {
            packet.release();
            return;
        }
        if (srtpOut.protectRtcp(packet) < 0) {
            packet.release();
            return;
        }
        write(packet);
    }

    /** Routes inbound RTP with {@code ssrc} to {@code forwarder}. Media event loop only. */
    public void addInbound(int ssrc, TrackForwarder forwarder) {
        inbound.put(ssrc, forwarder);
    }

    public void removeInbound(int ssrc) {
        inbound.remove(ssrc);
    }

    /**
     * Routes the simulcast layer {@code rid} of m-line {@code mid} to {@code layer} once a packet
     * names them in its MID and RID header extensions (RFC 8852). Media event loop only.
     */
    public void addLayerRoute(int midExtension, int ridExtension, String mid, String rid, TrackForwarder layer) {
        unsignalled.addByMid(midExtension, ridExtension, mid, rid, layer);
    }

    public void removeLayerRoute(String mid, String rid) {
        unroute(unsignalled.removeByMid(mid, rid));
    }

    /**
     * Routes the one stream of m-line {@code mid}, whose SSRC the SDP did not give, to
     * {@code forwarder}: by the MID header extension when negotiated ({@code midExtension} > 0),
     * else by {@code payloadType}, which no other m-line of this connection may use. Media event loop.
     */
    public void addUnsignalledRoute(int midExtension, String mid, int payloadType, TrackForwarder forwarder) {
        if (midExtension > 0) {
            unsignalled.addByMid(midExtension, -1, mid, null, forwarder);
        } else {
            unsignalled.addByPayloadType(payloadType, forwarder);
        }
    }

    public void removeUnsignalledRoute(String mid, int payloadType) {
        unroute(unsignalled.removeByMid(mid, null));
        unroute(unsignalled.removeByPayloadType(payloadType));
    }

    private void unroute(TrackForwarder forwarder) {
        if (forwarder != null && forwarder.isBound()) {
            inbound.remove(forwarder.sourceSsrc());
        }
    }

    /** Routes the peer's feedback about outgoing {@code downTrack.ssrc()} to it. Media event loop only. */
    public void addOutbound(DownTrack downTrack) {
        outbound.put(downTrack.ssrc(), downTrack);
    }

    public void removeOutbound(DownTrack downTrack) {
        outbound.remove(downTrack.ssrc(), downTrack);
    }

    /**
     * The receiving peer takes the transport-wide sequence number under extension {@code id}
     * (-1: it does not; its REMB, if any, is the estimate then). Callable from any thread.
     */
    public void useTransportCc(int id) {
        execute(() -> transportCcExtensionId = downlink == null ? -1 : id);
    }

    /** The bandwidth estimate and allocation of a receiving peer; null for a pipe. */
    public DownlinkAllocator downlink() {
        return downlink;
    }

    /** Paces probes and reallocates layers by bandwidth. Media event loop, every {@code tickNanos}. */
    /**
     * Sends keyframe requests that were deferred to the end of their coalescing interval, for
     * streams whose packets have stopped (a paused layer) and so cannot carry them out.
     */
    void flushKeyframeRequests(long nowNanos) {
        if (connected && !inbound.isEmpty()) {
            for (TrackForwarder forwarder : inbound.values()) {
                forwarder.flushKeyframeRequest(nowNanos);
            }
        }
    }

    void tickBandwidth(long nowNanos, long tickNanos) {
        if (downlink != null && connected && !outbound.isEmpty()) {
            downlink.tick(outbound.values(), nowNanos, tickNanos);
        }
    }

    /** The most this publishing peer may send (bits/s, told with REMB), 0 for the node's maximum. */
    public void capPublisher(long bps) {
        publisherCapBps = bps;
    }

    public long publisherCapBps() {
        return publisherCapBps;
    }

    /** The header extension id forwarded packets carry their transport-wide sequence in, or -1. */
    public int transportCcExtensionId() {
        return transportCcExtensionId;
    }

    /** The node's data-plane counters. */
    public MediaCounters counters() {
        return server.counters();
    }

    /** The allocator packets for this transport should come from (the media channel's pool). */
    public io.netty.buffer.ByteBufAllocator allocator() {
        return channel.alloc();
    }

    /** Once a second: receiver reports and REMB to a publishing peer. */
    void sendReceiverReports(long nowNanos) {
        if (connected && !inbound.isEmpty()) {
            server.receiverReports().send(this, inbound, nowNanos);
        }
    }

    /**
     * Periodic housekeeping on the media loop: consent freshness and negotiation timeouts. A
     * client's connection that loses consent is not closed at once: its participant is told (so
     * the client restarts ICE) and it gets {@code sfu.media.ice-restart-grace} to come back, with
     * nothing sent meanwhile (RFC 7675 5.1). Pipes close at once: their nodes make new ones.
     */
    void checkLiveness(long nowMillis) {
        if (closed || negotiatedAtMillis < 0 || !ice.consentExpired(nowMillis, negotiatedAtMillis)) {
            return;
        }
        if (!connected || pipe) {
            closeNow(connected ? "ICE consent expired" : "ICE did not connect");
        } else if (!consentLost) {
            consentLost = true;
            consentLostAtMillis = nowMillis;
            LOG.info("transport {}: ICE consent lost; waiting {} ms for an ICE restart", label,
                    server.iceRestartGraceMillis());
            listener.onConsentLost();
        } else if (nowMillis - consentLostAtMillis > server.iceRestartGraceMillis()) {
            closeNow("ICE consent expired and no ICE restart came within the grace");
        }
    }

    private void sendDtls(byte[] datagram) {
        // Called on a handshake thread, or on the loop answering a datagram; Netty hands the write to the loop.
        IceTcpConnection tcp = tcpPath;
        if (tcp != null) {
            tcp.writeAndFlush(datagram);
            return;
        }
        InetSocketAddress relayed = relayPeer;
        if (relayed != null) {
            server.eventLoop().execute(() -> { // the relay is the loop's
                NodeRelay relay = server.relay();
                if (relay != null) {
                    relay.write(relayed, channel.alloc().directBuffer(datagram.length).writeBytes(datagram));
                    server.flushAll();
                }
            });
            return;
        }
        InetSocketAddress to = remoteAddress;
        io.netty.channel.Channel out = socket;
        if (to != null && !to.isUnresolved()) {
            out.writeAndFlush(new DatagramPacket(out.alloc().directBuffer(datagram.length).writeBytes(datagram), to));
        }
    }

    private void onHandshakeComplete(DtlsResult result) {
        if (closed) {
            return;
        }
        SrtpProfile profile = SrtpProfile.fromId(result.srtpProfileId());
        if (profile == null) {
            closeNow("DTLS negotiated unknown SRTP profile " + result.srtpProfileId());
            return;
        }
        SrtpKeys keys = SrtpKeys.fromDtlsExport(profile, result.keyingMaterial(),
                result.localRole() == DtlsRole.CLIENT);
        srtpIn = new SrtpReceiveContext(profile, keys.remoteMasterKey(), keys.remoteMasterSalt());
        srtpOut = new SrtpSendContext(profile, keys.localMasterKey(), keys.localMasterSalt());
        connected = true;
        LOG.info("transport {} connected: DTLS done, SRTP {} with {}", label, profile, remoteAddress);
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
        connected = false;
        server.registry().remove(this);
        if (dtls != null) {
            dtls.close();
        }
        inbound.clear();
        outbound.clear();
        tcpPath = null;
        for (IceTcpConnection connection : new ArrayList<>(tcpConnections)) {
            connection.close();
        }
        tcpConnections.clear();
        NodeRelay relay = server.relay();
        if (relay != null) {
            relayPermits.forEach(relay::release);
        }
        relayPermits.clear();
        relayPeer = null;
        dropClientChecks();
        checks = null;
        if (gathering != null) {
            gathering.finish(null);
        }
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
    private final class DtlsEvents implements org.adam.sfu.webrtc.dtls.DtlsListener {
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
