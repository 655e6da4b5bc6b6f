package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import org.adam.sfu.webrtc.ice.IceCheckList;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceSession;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one transport sends for ICE on its own initiative (the node answers the peer's checks in
 * {@link MediaPacketHandler}): a pipe's checks to the other node's candidates and its STUN
 * request for a server-reflexive address; a client transport's checks, as the controlled agent,
 * to the candidates its client names (a node behind NAT opens its router that way); and the
 * permissions on the node's TURN relay for those candidates.
 *
 * <p>Threading: media event loop only. Time comes from the worker's {@link MediaClock}. Logs
 * under {@link WebRtcTransport}'s name, with the transport's other lines.
 */
final class TransportIceAgent {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTransport.class);
    /** A browser gathers a host, a server-reflexive and a relay candidate per network, a few networks at most. */
    static final int MAX_RELAY_PERMITS = 8;
    /** Candidates of a client the node checks at most (each for at most IceCheckList.GIVE_UP_MILLIS unanswered). */
    static final int MAX_CHECKED_CANDIDATES = 8;
    /** How long after a client's description the node starts checking its candidates (checkCandidateSoon). */
    static final long CLIENT_CHECK_DELAY_MILLIS = 500;

    /** Runs a task on the media loop after a delay. */
    interface Scheduler {
        void schedule(Runnable task, long delayMillis);
    }

    /** What an answer to one of this transport's checks means. */
    enum Answer {
        /** Not an answer to this transport's checks. */
        NOT_OURS,
        /** It answered a controlled agent's check, which only opened the NAT: the peer's checks nominate. */
        OPENED,
        /** It answered a controlling agent's check: that pair is valid (and nominated, if the check said so). */
        VALID
    }

    private final WebRtcTransport owner;
    private final String label;
    private final boolean pipe;
    /** A pipe's own socket; a client transport's checks go out on the media socket of the target's family. */
    private final Channel channel;
    private final IceSession ice;
    private final MediaServer server;
    private final Scheduler scheduler;
    /** The peer's ICE credentials, null until its first description. */
    private IceCredentials peer;
    /** When the peer's current ICE credentials were learnt (its newest offer or answer). */
    private long peerDescribedAtMillis;
    /** The checks this transport sends; null for none. */
    private IceCheckList checks;
    /** A pipe's STUN request for its socket's server-reflexive address, until answered or given up. */
    private ReflexiveGathering gathering;
    /** Client candidate addresses this transport asked the relay to let in; released on close. */
    private final ArrayList<InetSocketAddress> relayPermits = new ArrayList<>(2);
    private boolean closed;

    TransportIceAgent(WebRtcTransport owner, String label, boolean pipe, Channel channel, IceSession ice,
                      MediaServer server, Scheduler scheduler) {
        this.owner = owner;
        this.label = label;
        this.pipe = pipe;
        this.channel = channel;
        this.ice = ice;
        this.server = server;
        this.scheduler = scheduler;
    }

    /** The scheduler of a running worker: its media loop. */
    static Scheduler on(MediaServer server) {
        return (task, delayMillis) -> server.eventLoop().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** The peer described itself (first, or with new credentials after an ICE restart) at {@code nowMillis}. */
    void peerDescribed(IceCredentials credentials, long nowMillis) {
        peer = credentials;
        peerDescribedAtMillis = nowMillis;
    }

    /**
     * A candidate the client named. A node behind NAT (MediaServerConfig#checkClientCandidates)
     * checks it as the controlled agent, up to {@value #MAX_CHECKED_CANDIDATES} per transport: the
     * check opens the way through the node's router for the peer's checks, which nominate (the
     * node announces its public address, but its router lets in only what answers something sent
     * from behind it). And checks that reach the node through its own TURN relay pass only from
     * addresses the relay was told to let in.
     */
    void addClientCandidate(InetSocketAddress address) {
        if (server.checksClientCandidates()) {
            checkCandidateSoon(address);
        }
        permitOnRelay(address);
    }

    /**
     * Checks {@code address} once the peer has had time to take in this side's description: a
     * check that overtakes the node's answer breaks some stacks (aiortc's aioice fails the
     * connection), and one that waits costs a peer behind the node's NAT no more than the wait,
     * since its own checks are retransmitted until one gets in.
     */
    private void checkCandidateSoon(InetSocketAddress address) {
        long wait = peerDescribedAtMillis + CLIENT_CHECK_DELAY_MILLIS - server.clock().millis();
        if (wait <= 0) {
            checkCandidate(address);
            return;
        }
        scheduler.schedule(() -> {
            if (!closed) {
                checkCandidate(address);
                server.flushAll();
            }
        }, wait);
    }

    private void checkCandidate(InetSocketAddress address) {
        if (peer == null || server.socketFor(address) == null) {
            return;
        }
        if (checks == null) {
            checks = new IceCheckList(ice.localCredentials(), peer, List.of(),
                    IceConnectivityChecker.Role.CONTROLLED, server.random());
        }
        if (checks.size() < MAX_CHECKED_CANDIDATES && checks.add(address)) {
            server.registry().addCheckTarget(address, owner);
            poll(server.clock().millis());
        }
    }

    private void permitOnRelay(InetSocketAddress address) {
        NodeRelay relay = server.relay();
        if (relay == null || relayPermits.contains(address) || relayPermits.size() >= MAX_RELAY_PERMITS) {
            return;
        }
        if (relay.permit(address, server.clock().millis())) {
            relayPermits.add(address);
        } else {
            LOG.warn("transport {}: the relay lets in no more peers; {} cannot reach the node through it",
                    label, address);
        }
    }

    /** A new ICE generation (either side restarted): its candidates are checked with its credentials. */
    void dropClientChecks() {
        if (checks != null && !pipe) {
            server.registry().removeCheckTargets(checks.targets(), owner);
            checks = null;
        }
    }

    /** Checks each of the peer's {@code candidates} in {@code role} (a pipe), once the peer is described. */
    void startChecks(List<InetSocketAddress> candidates, IceConnectivityChecker.Role role) {
        if (peer == null) {
            return;
        }
        checks = new IceCheckList(ice.localCredentials(), peer, candidates, role, server.random());
        poll(server.clock().millis());
    }

    /** A pipe's check came from {@code from} on socket {@code on}: a peer-reflexive candidate to check too. */
    void onPipeCheck(InetSocketAddress from, Channel on, long nowMillis) {
        if (pipe && checks != null && on == channel && checks.add(from)) {
            poll(nowMillis);
        }
    }

    /**
     * Asks {@code stunServer} where this pipe's socket is seen from, for up to {@code boundMillis}.
     * An answer that differs from the host candidates of {@code local} goes to {@code reflexive}
     * (a server-reflexive candidate); {@code done} runs once it is over, either way.
     */
    void gatherReflexive(InetSocketAddress stunServer, long boundMillis, Supplier<LocalTransportParams> local,
                         Consumer<InetSocketAddress> reflexive, Runnable done) {
        long nowMillis = server.clock().millis();
        gathering = new ReflexiveGathering(stunServer, server.random(), nowMillis, boundMillis, mapped -> {
            gathering = null;
            InetSocketAddress host = (InetSocketAddress) channel.localAddress();
            if (mapped == null) {
                LOG.warn("transport {}: no answer from STUN server {}: offering host candidates only",
                        label, stunServer);
            } else if (mapped.getPort() != host.getPort() || !local.get().candidateIps().contains(
                    mapped.getAddress().getHostAddress())) {
                reflexive.accept(mapped);
                LOG.info("transport {}: server-reflexive address {}", label, mapped);
            }
            done.run();
        });
        if (closed) {
            gathering.finish(null);
        } else {
            gathering.poll(channel, server.clock().millis());
        }
    }

    /** Sends due connectivity or consent checks and STUN requests. */
    void poll(long nowMillis) {
        if (gathering != null) {
            gathering.poll(channel, nowMillis);
        }
        if (checks != null) {
            checks.poll(nowMillis, this::sendCheck);
        }
    }

    private void sendCheck(byte[] check, InetSocketAddress target) {
        // A pipe sends from its own socket; a client transport from the media socket of the target's family.
        Channel out = pipe ? channel : server.socketFor(target);
        if (out != null) {
            out.writeAndFlush(new DatagramPacket(out.alloc().directBuffer(check.length).writeBytes(check), target));
        }
    }

    /** A pipe's STUN server answered its Binding request: true if {@code datagram} was that answer. */
    boolean onGatheringResponse(byte[] datagram, InetSocketAddress from) {
        return gathering != null && gathering.onResponse(datagram, from);
    }

    /** A STUN response from {@code from}; a valid one is told to the ICE session. */
    Answer onStunResponse(StunMessage response, InetSocketAddress from, long nowMillis) {
        if (checks == null) {
            return Answer.NOT_OURS;
        }
        IceCheckList.Answer answer = checks.onResponse(response, from);
        if (answer == IceCheckList.Answer.NONE) {
            return Answer.NOT_OURS;
        }
        if (checks.role() == IceConnectivityChecker.Role.CONTROLLED) {
            return Answer.OPENED;
        }
        if (answer == IceCheckList.Answer.NOMINATED) {
            LOG.info("transport {}: nominated the pair to {}", label, from);
        }
        ice.onValidCheck(from, true, nowMillis);
        return Answer.VALID;
    }

    /** Releases the relay permissions and stops every check and request. */
    void close() {
        closed = true;
        NodeRelay relay = server.relay();
        if (relay != null) {
            relayPermits.forEach(relay::release);
        }
        relayPermits.clear();
        dropClientChecks();
        checks = null;
        if (gathering != null) {
            gathering.finish(null);
        }
    }
}
