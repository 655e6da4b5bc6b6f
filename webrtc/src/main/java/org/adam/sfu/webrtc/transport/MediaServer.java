package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.AttributeKey;
import org.adam.sfu.webrtc.dtls.DtlsCertificate;
import org.adam.sfu.webrtc.dtls.DtlsEndpoint;
import org.adam.sfu.webrtc.dtls.DtlsHandshakePool;
import org.adam.sfu.webrtc.dtls.DtlsListener;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.forward.MediaRouter;
import org.adam.sfu.webrtc.forward.ReceiverReports;
import org.adam.sfu.webrtc.forward.RtcpFeedbackHandler;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceSession;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;
import org.adam.sfu.webrtc.speaker.SpeakerDetection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media worker of the node: a UDP port shared by every transport on it and one event loop
 * that owns all their per-packet state (so SRTP contexts and forwarding tables need no locks).
 * A node runs one or more ({@link MediaWorkers}), each room on one of them; the DTLS certificate,
 * the threads for BouncyCastle's blocking handshakes and the counters are the node's, shared.
 * Sockets: {@link MediaWorkerSockets}, {@link MediaSockets}; periodic work: {@link MediaTicks};
 * time, for every transport on it: its one {@link MediaClock}.
 */
public final class MediaServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaServer.class);
    /**
     * How long a new pipe waits for its socket's server-reflexive address before it offers or
     * answers without one: a STUN server that answers at all answers within a few retransmissions.
     */
    static final long REFLEXIVE_GATHERING_BOUND_MILLIS = 1500;
    /** The transport a pipe's own socket belongs to (unset on the shared media sockets). */
    static final AttributeKey<WebRtcTransport> PIPE_TRANSPORT = AttributeKey.valueOf("sfu.pipe-transport");

    private final MediaServerConfig config;
    private final EventLoopGroup group;
    /** The first media socket: the one a transport sends on until its peer's checks pick another. */
    private final Channel channel;
    private final MediaSockets sockets;
    private final MediaClock clock;
    private final Bootstrap bootstrap;
    private final DtlsCertificate certificate;
    private final DtlsHandshakePool handshakes;
    private final TransportRegistry registry = new TransportRegistry();
    private final MediaRouter router = new MediaRouter();
    private final MediaCounters counters;
    private final RtcpFeedbackHandler rtcpFeedback;
    private final ReceiverReports receiverReports;
    private final SecureRandom random = new SecureRandom();
    private final MediaTicks ticks;
    private final SpeakerDetection speakers;
    /** The worker's relayed address on the node's TURN server; null without one. */
    private final NodeRelay relay;
    /** The passive ICE-TCP candidate's listener; null without ICE-TCP. */
    private final IceTcpListener iceTcp;

    private MediaServer(MediaServerConfig config, MediaWorkerSockets.Bound bound, DtlsCertificate certificate,
                        DtlsHandshakePool handshakes, MediaCounters counters, MediaClock clock) {
        this.config = config;
        this.iceTcp = bound.iceTcp();
        this.counters = counters;
        this.clock = clock;
        this.bootstrap = bound.bootstrap();
        this.group = bound.group();
        this.sockets = new MediaSockets(bound.sockets(), iceTcp);
        this.channel = sockets.first();
        this.certificate = certificate;
        this.handshakes = handshakes;
        this.receiverReports = new ReceiverReports(config.maxPublisherBitrate());
        this.rtcpFeedback = new RtcpFeedbackHandler(config.retransmissions());
        this.relay = config.relay() == null ? null : new NodeRelay(config.relay(), channel, random, counters, clock);
        if (relay != null) {
            channel.eventLoop().execute(() -> relay.start(clock.millis()));
        }
        this.speakers = new SpeakerDetection(channel.eventLoop());
        this.ticks = new MediaTicks(registry, router, speakers, clock, relay, this::flushAll);
        ticks.start(channel.eventLoop());
    }

    /**
     * Worker {@code index} of the node, on UDP {@code port} (0: any free port), and on its ICE-TCP
     * port if the config has one ({@code pendingTcp}: the node's count of unauthenticated TCP
     * connections, shared by its workers), reading time from {@code clock}.
     */
    static MediaServer start(MediaServerConfig config, int index, int port, DtlsCertificate certificate,
                             DtlsHandshakePool handshakes, MediaCounters counters, PendingTcpConnections pendingTcp,
                             MediaClock clock)
            throws InterruptedException {
        MediaServer[] self = new MediaServer[1];
        MediaWorkerSockets.Bound bound = MediaWorkerSockets.bind(config, index, port, counters, pendingTcp,
                () -> self[0]);
        self[0] = new MediaServer(config, bound, certificate, handshakes, counters, clock);
        IceTcpListener iceTcp = bound.iceTcp();
        LOG.info("media worker {} on udp {}{} ({})", index, bound.sockets().stream().map(Channel::localAddress)
                .toList(), iceTcp == null ? "" : ", ice-tcp port " + iceTcp.port(), bound.epoll() ? "epoll" : "nio");
        return self[0];
    }

    /**
     * A new transport with fresh ICE credentials, reachable as soon as this returns (its ICE
     * username fragment is registered). Callable from any thread.
     */
    public WebRtcTransport createTransport(String label, TransportListener listener) {
        return create(label, channel, false, listener);
    }

    /**
     * As {@link #createTransport}, for a pipe to another node. Each pipe gets a UDP socket of its
     * own: two nodes have one pipe per room, and only distinct ports keep their 5-tuples apart
     * (clients are told apart by their own addresses, but all of another node's pipes would come
     * from its one media port). Never waits for the bind: the future completes, on the media loop,
     * with the transport once its socket is bound, or with the reason it could not be. Any thread.
     */
    public CompletableFuture<WebRtcTransport> createPipeTransport(String label, TransportListener listener) {
        return createPipeTransport(label, new InetSocketAddress(config.bindHost(), 0), listener);
    }

    /** As {@link #createPipeTransport(String, TransportListener)}, its socket bound to {@code local}. */
    CompletableFuture<WebRtcTransport> createPipeTransport(String label, InetSocketAddress local,
                                                           TransportListener listener) {
        CompletableFuture<WebRtcTransport> created = new CompletableFuture<>();
        ChannelFuture bind;
        try {
            bind = bootstrap.clone(channel.eventLoop()).bind(local);
        } catch (RuntimeException e) {
            created.completeExceptionally(e);
            return created;
        }
        if (bind.isDone() && !bind.isSuccess()) {
            // Refused at once (the loop has stopped): a stopped loop would never run a listener.
            created.completeExceptionally(bind.cause());
            return created;
        }
        bind.addListener(done -> {
            if (!done.isSuccess()) {
                created.completeExceptionally(done.cause());
                return;
            }
            // On the media loop, which owns the list of pipe sockets.
            Channel pipeChannel = bind.channel();
            sockets.addPipeSocket(pipeChannel);
            WebRtcTransport transport = create(label, pipeChannel, true, listener);
            pipeChannel.attr(PIPE_TRANSPORT).set(transport);
            if (config.stunServer() == null) {
                created.complete(transport);
            } else {
                // Its server-reflexive address goes into the pipe's offer or answer: wait for it, a bounded time.
                transport.gatherReflexive(config.stunServer(), REFLEXIVE_GATHERING_BOUND_MILLIS,
                        () -> created.complete(transport));
            }
        });
        return created;
    }

    private WebRtcTransport create(String label, Channel socket, boolean pipe, TransportListener listener) {
        IceCredentials credentials = IceCredentials.random(random);
        // Pipes stay on UDP (both ends are nodes, and their ports are opened for each other), and a
        // pipe's socket is on the first address only, so it announces that one.
        LocalTransportParams local = new LocalTransportParams(credentials.ufrag(), credentials.pwd(),
                certificate.fingerprintSha256(), pipe ? config.announcedIps().subList(0, 1) : config.announcedIps(),
                ((InetSocketAddress) socket.localAddress()).getPort(), pipe ? 0 : iceTcpPort(),
                pipe || relay == null ? null : relay.relayedAddress());
        WebRtcTransport transport = new WebRtcTransport(this, socket, pipe, label, pipe, local,
                new IceSession(credentials, config.consentTimeout().toMillis()), listener);
        registry.register(transport);
        return transport;
    }

    public MediaRouter router() {
        return router;
    }

    public MediaCounters counters() {
        return counters;
    }

    public int localPort() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public int transportCount() {
        return registry.size();
    }

    /** The ICE-TCP port this worker listens on, or 0 without ICE-TCP. */
    public int iceTcpPort() {
        return iceTcp == null ? 0 : iceTcp.port();
    }

    /** This worker's connected transports by selected path, as its loop last counted them. Any thread. */
    public TransportPaths transportPaths() {
        return ticks.transportPaths();
    }

    IceTcpSettings iceTcpSettings() {
        return config.iceTcp();
    }

    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    Channel channel() {
        return channel;
    }

    /** The worker's relay on the node's TURN server, or null. Media loop. */
    NodeRelay relay() {
        return relay;
    }

    /** Whether client transports check the candidates their clients name (MediaServerConfig). */
    boolean checksClientCandidates() {
        return config.checkClientCandidates();
    }

    /** The media socket that reaches {@code target}: the one of its address family, or null. */
    Channel socketFor(InetSocketAddress target) {
        return sockets.socketFor(target);
    }

    RtcpFeedbackHandler rtcpFeedback() {
        return rtcpFeedback;
    }

    ReceiverReports receiverReports() {
        return receiverReports;
    }

    TransportRegistry registry() {
        return registry;
    }

    /** The worker's clock, which every transport on it reads. */
    MediaClock clock() {
        return clock;
    }

    DtlsEndpoint newDtlsEndpoint(DtlsRole role, String expectedFingerprint,
                                 org.adam.sfu.webrtc.dtls.DtlsOutput output, DtlsListener listener) {
        return new DtlsEndpoint(role, certificate, expectedFingerprint, output, listener, handshakes,
                config.dtlsMtu(), config.handshakeTimeout());
    }

    /**
     * Ends a read batch on any socket: what it forwarded may have been queued on every socket
     * (a packet read from a pipe goes out on the shared port, and the reverse), so all flush.
     */
    void flushAll() {
        sockets.flushAll();
    }

    /** Dominant speaker detection per room, over the audio this node forwards. */
    public SpeakerDetection speakers() {
        return speakers;
    }

    SecureRandom random() {
        return random;
    }

    /** How long a client's transport that lost ICE consent waits for a restart (RFC 7675, decision 0023). */
    public java.time.Duration iceRestartGrace() {
        return config.iceRestartGrace();
    }

    /** This worker's tracks as its loop last counted them (at most a second ago). Any thread. */
    public TrackTotals trackTotals() {
        return ticks.trackTotals();
    }

    @Override
    public void close() {
        ticks.cancel();
        for (WebRtcTransport transport : registry.all()) {
            transport.close("node shutting down");
        }
        if (relay != null) {
            channel.eventLoop().execute(() -> relay.close(clock.millis()));
        }
        if (iceTcp != null) {
            iceTcp.close();
        }
        sockets.media().forEach(socket -> socket.close().awaitUninterruptibly());
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
