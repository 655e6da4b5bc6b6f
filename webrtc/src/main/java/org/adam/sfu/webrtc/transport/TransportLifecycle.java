package org.adam.sfu.webrtc.transport;

import io.netty.channel.Channel;
import org.adam.sfu.webrtc.dtls.DtlsListener;
import org.adam.sfu.webrtc.dtls.DtlsResult;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceSession;
import org.adam.sfu.webrtc.srtp.SrtpProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transport's life: negotiated (the peer's description, and its later ICE restarts),
 * connected (DTLS done, SRTP keyed), closed (by the node, the peer, a failed handshake or lost
 * consent), and what each step tells the control plane through its {@link TransportListener}.
 *
 * <p>Threading: media event loop only; the DTLS association's callbacks, which arrive on other
 * threads, are posted to it. Logs under {@link WebRtcTransport}'s name, with its other lines.
 */
final class TransportLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTransport.class);

    private final WebRtcTransport owner;
    private final String label;
    private final MediaServer server;
    private final IceSession ice;
    private final TransportListener listener;
    private final TransportIceAgent agent;
    private final SelectedPath path;
    private final ConsentMonitor consent;
    private final DtlsSrtpSession dtls;
    private final TransportMedia media;
    /** The transport's socket when it is its own (a pipe's), closed with it; else null. */
    private final Channel ownChannel;
    private RemoteParameters remote;
    private boolean closed;

    TransportLifecycle(WebRtcTransport owner, String label, MediaServer server, IceSession ice,
                       TransportListener listener, TransportIceAgent agent, SelectedPath path, ConsentMonitor consent,
                       DtlsSrtpSession dtls, TransportMedia media, Channel ownChannel) {
        this.owner = owner;
        this.label = label;
        this.server = server;
        this.ice = ice;
        this.listener = listener;
        this.agent = agent;
        this.path = path;
        this.consent = consent;
        this.dtls = dtls;
        this.media = media;
        this.ownChannel = ownChannel;
    }

    boolean closed() {
        return closed;
    }

    /**
     * The peer's description: the first sets up ICE and DTLS; a later one with new ICE
     * credentials is the peer's ICE restart. DTLS stays as it first was.
     */
    void applyRemote(RemoteParameters parameters) {
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
                agent.dropClientChecks();
                agent.peerDescribed(new IceCredentials(remote.iceUfrag(), remote.icePwd()), server.clock().millis());
            }
            return;
        }
        remote = parameters;
        long nowMillis = server.clock().millis();
        consent.negotiated(nowMillis);
        agent.peerDescribed(new IceCredentials(parameters.iceUfrag(), parameters.icePwd()), nowMillis);
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
     * This side's ICE restart, its new credentials registered already: checks with the old ones
     * are answered until the peer's first valid check with the new ones.
     */
    void restartIce(IceCredentials fresh) {
        if (closed) {
            server.registry().retireUfrag(fresh.ufrag(), owner);
            return;
        }
        agent.dropClientChecks();
        String dropped = ice.restart(fresh);
        if (dropped != null) {
            server.registry().retireUfrag(dropped, owner);
        }
        LOG.info("transport {}: ICE restart, new local credentials {}", label, fresh.ufrag());
    }

    /** Once a second: consent freshness and the negotiation timeout ({@link ConsentMonitor}). */
    void checkLiveness(long nowMillis) {
        if (!closed) {
            String reason = consent.check(nowMillis, media.connected());
            if (reason != null) {
                close(reason);
            }
        }
    }

    private void onHandshakeComplete(DtlsResult result) {
        if (closed) {
            return;
        }
        SrtpProfile profile = media.connect(result);
        if (profile == null) {
            close("DTLS negotiated unknown SRTP profile " + result.srtpProfileId());
            return;
        }
        LOG.info("transport {} connected: DTLS done, SRTP {} with {}", label, profile, path.remoteAddress());
        listener.onConnected();
    }

    /** Closes the transport, once. */
    void close(String reason) {
        close(reason, false);
    }

    private void close(String reason, boolean byPeer) {
        if (closed) {
            return;
        }
        closed = true;
        media.close();
        server.registry().remove(owner);
        dtls.close();
        path.close();
        agent.close();
        if (ownChannel != null) {
            ownChannel.close();
        }
        LOG.info("transport {} closed: {}", label, reason);
        if (byPeer) {
            listener.onClosedByPeer();
        } else {
            listener.onClosed(reason);
        }
    }

    /** DTLS callbacks arrive on a handshake thread, the deadline timer or the loop, and are moved onto the loop. */
    private final class DtlsEvents implements DtlsListener {
        @Override
        public void onHandshakeComplete(DtlsResult result) {
            owner.execute(() -> TransportLifecycle.this.onHandshakeComplete(result));
        }

        @Override
        public void onHandshakeFailed(Throwable cause) {
            owner.execute(() -> close("DTLS handshake failed: " + cause.getMessage()));
        }

        @Override
        public void onClosed() {
            owner.execute(() -> close(WebRtcTransport.CLOSED_BY_PEER, true));
        }
    }
}
