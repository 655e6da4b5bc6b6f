package org.adam.sfu.webrtc.sdp;

import java.util.List;

/**
 * What a peer's SDP says about its transport.
 *
 * @param weAreDtlsClient true when the peer's a=setup makes the node the DTLS client (RFC 5763 5)
 * @param candidates      the first bundled m-line's {@code a=candidate} values (non-trickle
 *                        peers), at most {@value #MAX_CANDIDATES}
 */
public record RemoteTransportParams(String iceUfrag, String icePwd, String fingerprintSha256,
                                    boolean weAreDtlsClient, List<String> candidates) {

    static final int MAX_CANDIDATES = 32;

    public RemoteTransportParams {
        candidates = List.copyOf(candidates);
    }

    /** Reads ICE credentials and the sha-256 fingerprint from the first bundled m-line or the session. */
    static RemoteTransportParams read(SessionDescription sdp, MediaDescription first)
            throws SdpNegotiationException {
        String ufrag = sdp.attributeOf(first, "ice-ufrag");
        String pwd = sdp.attributeOf(first, "ice-pwd");
        String fingerprint = sdp.attributeOf(first, "fingerprint");
        String setup = sdp.attributeOf(first, "setup");
        if (ufrag == null || pwd == null || ufrag.isBlank() || pwd.isBlank()) {
            throw new SdpNegotiationException("no ICE credentials (a=ice-ufrag / a=ice-pwd)");
        }
        if (fingerprint == null) {
            throw new SdpNegotiationException("no a=fingerprint");
        }
        String[] parts = fingerprint.trim().split(" +");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("sha-256")) {
            throw new SdpNegotiationException("a=fingerprint must be sha-256");
        }
        // RFC 5763 5: whoever says passive is the DTLS server. The node offers actpass and answers
        // an actpass or active offer with passive, so it is the client only if the peer is passive.
        boolean weAreClient = "passive".equals(setup == null ? null : setup.trim());
        List<String> candidates = first.attributes("candidate");
        return new RemoteTransportParams(ufrag.trim(), pwd.trim(), parts[1], weAreClient,
                candidates.subList(0, Math.min(candidates.size(), MAX_CANDIDATES)));
    }
}
