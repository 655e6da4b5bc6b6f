package org.adam.sfu.webrtc.ice;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The ICE-lite side of one peer connection (RFC 8445 section 2.5): it never sends checks, it
 * answers them. The first valid check selects the pair; a check with USE-CANDIDATE (the
 * controlling peer's nomination) moves the selection to its address. Consent (RFC 7675) is
 * judged from the peer's checks: a peer that stops sending them for the consent timeout is gone.
 *
 * <p>Confined to the media event loop, except {@link #localCredentials()} which is immutable.
 */
public final class IceSession {

    private final IceCredentials local;
    private final byte[] localKey;
    private final long consentTimeoutMillis;
    private String remoteUfrag;
    private InetSocketAddress selected;
    private boolean nominated;
    private long lastValidCheckMillis = -1;

    public IceSession(IceCredentials local, long consentTimeoutMillis) {
        this.local = local;
        this.localKey = local.pwd().getBytes(StandardCharsets.UTF_8);
        this.consentTimeoutMillis = consentTimeoutMillis;
    }

    public IceCredentials localCredentials() {
        return local;
    }

    /** The key that checks sent to us are signed with: our password (RFC 8445 section 7.2.2). */
    byte[] localIntegrityKey() {
        return localKey;
    }

    public void setRemoteCredentials(String ufrag, String pwd) {
        this.remoteUfrag = ufrag;
    }

    /**
     * Whether a check's USERNAME `ours:theirs` names the remote peer we negotiated with; before the
     * remote description is known any remote part is accepted (checks may overtake the answer).
     */
    boolean acceptsRemoteUfrag(String ufrag) {
        return remoteUfrag == null || remoteUfrag.equals(ufrag);
    }

    public void onValidCheck(InetSocketAddress from, boolean useCandidate, long nowMillis) {
        lastValidCheckMillis = nowMillis;
        if (selected == null || (useCandidate && (!nominated || !selected.equals(from)))) {
            selected = from;
        }
        nominated |= useCandidate;
    }

    public InetSocketAddress selectedAddress() {
        return selected;
    }

    /**
     * Moves the selection to {@code address}, a path of higher priority than the selected one,
     * unless the controlling peer has nominated a pair: until it has, the choice is the node's
     * guess, and the better path is the better guess.
     */
    public void preferUnlessNominated(InetSocketAddress address) {
        if (!nominated) {
            selected = address;
        }
    }

    /**
     * The path {@code address} names is gone (its ICE-TCP connection closed): if it was selected,
     * nothing is until the next valid check, nominated or not.
     */
    public void forgetPath(InetSocketAddress address) {
        if (address.equals(selected)) {
            selected = null;
            nominated = false;
        }
    }

    /**
     * @param sinceMillis when negotiation started: a peer that never sends a valid check is given
     *                    the same time to appear as an established one is to stay
     */
    public boolean consentExpired(long nowMillis, long sinceMillis) {
        long last = lastValidCheckMillis < 0 ? sinceMillis : lastValidCheckMillis;
        return nowMillis - last > consentTimeoutMillis;
    }
}
