package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

import io.netty.channel.Channel;
import org.adam.sfu.webrtc.ice.IceSession;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transport's ICE events, as the media socket and the ICE-TCP connections report them: the
 * peer's valid checks (UDP and TCP), answers to the node's own checks, and what follows from
 * them: the selected path, consent regained, a finished ICE restart's old credentials retired,
 * DTLS started once the peer's address is known, keyframes asked for when the path moved.
 *
 * <p>Threading: media event loop only. Logs under {@link WebRtcTransport}'s name, with the
 * transport's other lines.
 */
final class TransportConnectivity {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTransport.class);

    private final WebRtcTransport owner;
    private final String label;
    private final MediaServer server;
    private final IceSession ice;
    private final TransportIceAgent agent;
    private final SelectedPath path;
    private final ConsentMonitor consent;
    private final DtlsSrtpSession dtls;
    private final InboundStreams inbound;
    private final BooleanSupplier connected;
    private final BooleanSupplier closed;

    TransportConnectivity(WebRtcTransport owner, String label, MediaServer server, IceSession ice,
                          TransportIceAgent agent, SelectedPath path, ConsentMonitor consent, DtlsSrtpSession dtls,
                          InboundStreams inbound, BooleanSupplier connected, BooleanSupplier closed) {
        this.owner = owner;
        this.label = label;
        this.server = server;
        this.ice = ice;
        this.agent = agent;
        this.path = path;
        this.consent = consent;
        this.dtls = dtls;
        this.inbound = inbound;
        this.connected = connected;
        this.closed = closed;
    }

    IceSession iceSession() {
        return ice;
    }

    /** Sends due connectivity or consent checks and STUN requests. */
    void pollChecks(long nowMillis) {
        if (!closed.getAsBoolean()) {
            agent.poll(nowMillis);
        }
    }

    /** A pipe's STUN server answered its Binding request: true if {@code datagram} was that answer. */
    boolean onGatheringResponse(byte[] datagram, InetSocketAddress from) {
        return agent.onGatheringResponse(datagram, from);
    }

    /**
     * A STUN response from {@code from}.
     *
     * @return whether it answered one of this transport's checks
     */
    boolean onStunResponse(StunMessage response, InetSocketAddress from, long nowMillis) {
        TransportIceAgent.Answer answer = agent.onStunResponse(response, from, nowMillis);
        if (answer == TransportIceAgent.Answer.VALID) {
            path.useAnswered(from);
            dtls.start();
        }
        return answer != TransportIceAgent.Answer.NOT_OURS;
    }

    /**
     * A valid check from {@code from}, naming our {@code localUfrag}, arrived on UDP socket
     * {@code on}. A nominated check from a new address (the client moved, or restarted ICE) moves
     * the selected pair, and with it where media goes and whose datagrams are this transport's.
     */
    void onValidIceCheck(InetSocketAddress from, boolean useCandidate, long nowMillis, String localUfrag, Channel on) {
        path.noteUdpCheck(nowMillis);
        agent.onPipeCheck(from, on, nowMillis);
        afterValidCheck(ice.onValidCheck(from, useCandidate, nowMillis, localUfrag), from);
        path.afterUdpCheck(from, on);
        followSelection();
        dtls.start();
    }

    /**
     * A valid check arrived on ICE-TCP {@code connection}. The ICE session knows the connection by
     * its path key, so UDP and TCP pairs are selected and nominated by the same rule.
     *
     * @return false if this transport takes no more connections (closed, or at its bound): close it
     */
    boolean onValidTcpCheck(IceTcpConnection connection, boolean useCandidate, long nowMillis, String localUfrag) {
        if (closed.getAsBoolean() || !path.acceptTcp(connection, server.iceTcpSettings().maxPerTransport())) {
            return false;
        }
        boolean udpSelectedAndAlive = path.udpSelectedAndAlive(nowMillis);
        afterValidCheck(ice.onValidCheck(connection.pathKey(), useCandidate && !udpSelectedAndAlive, nowMillis,
                localUfrag), connection.pathKey());
        followSelection();
        dtls.start();
        return true;
    }

    /** What any valid check ends: a finished ICE restart's old credentials, a consent that was lost. */
    private void afterValidCheck(String retiredUfrag, InetSocketAddress from) {
        if (retiredUfrag != null) {
            server.registry().retireUfrag(retiredUfrag, owner);
            LOG.info("transport {}: ICE restart complete, checks with the old credentials are no longer answered",
                    label);
        }
        consent.onValidCheck(from);
    }

    private void followSelection() {
        if (path.followSelection() && connected.getAsBoolean()) {
            // What the peer sent while its old path was dying is lost for good, and its receivers
            // will ask for a keyframe once they notice: ask now, as its media comes back.
            inbound.requestKeyframes(server.clock().nanos());
        }
    }

    /** An ICE-TCP connection of this transport closed; if it was the selected pair, nothing is selected now. */
    void onTcpConnectionClosed(IceTcpConnection connection) {
        path.onTcpConnectionClosed(connection);
    }

    /** The path this transport's media takes now. */
    TransportPaths.Path selectedPath() {
        return path.kind(connected.getAsBoolean());
    }

    /** Another transport took {@code address}: if it was this one's, nothing is selected here now. */
    void forgetAddress(InetSocketAddress address) {
        owner.execute(() -> path.forget(address));
    }
}
