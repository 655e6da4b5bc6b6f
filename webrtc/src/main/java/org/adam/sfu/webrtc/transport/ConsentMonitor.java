package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;

import org.adam.sfu.webrtc.ice.IceSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ICE consent freshness (RFC 7675) and the negotiation timeout of one transport. A client's
 * connection that loses consent is not closed at once: its participant is told (so the client
 * restarts ICE) and it gets {@code sfu.media.ice-restart-grace} to come back, with nothing sent
 * meanwhile (RFC 7675 5.1). Pipes, and transports that never connected, close at once.
 *
 * <p>Threading: media event loop only. Logs under {@link WebRtcTransport}'s name, with the
 * transport's other lines.
 */
final class ConsentMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTransport.class);

    private final String label;
    private final boolean pipe;
    private final IceSession ice;
    private final TransportListener listener;
    private final long graceMillis;
    private long negotiatedAtMillis = -1;
    /** No valid check for the consent timeout: nothing is sent until one comes, or the grace ends. */
    private boolean lost;
    private long lostAtMillis;

    ConsentMonitor(String label, boolean pipe, IceSession ice, TransportListener listener, long graceMillis) {
        this.label = label;
        this.pipe = pipe;
        this.ice = ice;
        this.listener = listener;
        this.graceMillis = graceMillis;
    }

    /** The peer's first description arrived: from now it has the consent timeout to check. */
    void negotiated(long nowMillis) {
        negotiatedAtMillis = nowMillis;
    }

    /** Whether consent is lost (and sends are held back). */
    boolean lost() {
        return lost;
    }

    /**
     * Once a second.
     *
     * @return why the transport must close now, or null if it stays
     */
    String check(long nowMillis, boolean connected) {
        if (negotiatedAtMillis < 0 || !ice.consentExpired(nowMillis, negotiatedAtMillis)) {
            return null;
        }
        if (!connected || pipe) {
            return connected ? "ICE consent expired" : "ICE did not connect";
        }
        if (!lost) {
            lost = true;
            lostAtMillis = nowMillis;
            LOG.info("transport {}: ICE consent lost; waiting {} ms for an ICE restart", label, graceMillis);
            listener.onConsentLost();
        } else if (nowMillis - lostAtMillis > graceMillis) {
            return "ICE consent expired and no ICE restart came within the grace";
        }
        return null;
    }

    /** A valid check from {@code from}: consent, if it was lost, is back. */
    void onValidCheck(InetSocketAddress from) {
        if (lost) {
            lost = false;
            LOG.info("transport {}: consent regained from {}", label, from);
            listener.onConsentRestored();
        }
    }
}
