package org.adam.sfu.webrtc.ice;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The ICE-lite side of one peer connection (RFC 8445 section 2.5): it never sends checks, it
 * answers them. The first valid check selects the pair; a check with USE-CANDIDATE (the
 * controlling peer's nomination) moves the selection to its address. Consent (RFC 7675) is
 * judged from the peer's checks: a peer that stops sending them for the consent timeout is gone.
 *
 * <p>ICE restart (RFC 8445 9): {@link #restart} gives the session new local credentials. Until
 * the peer's first valid check with them, checks with the old ones are still answered, so media
 * keeps flowing on the old pair while the new one is checked (RFC 8445 9: "the agent MUST continue
 * to use the previous selected pair"); from then on only the new credentials count.
 *
 * <p>Confined to the media event loop, except {@link #localCredentials()} which reads a volatile.
 */
public final class IceSession {

    /** One set of credentials on both sides: ours, and the peer's ufrag once its description says it. */
    private static final class Generation {
        final IceCredentials local;
        final byte[] key;
        String remoteUfrag;

        Generation(IceCredentials local) {
            this.local = local;
            this.key = local.pwd().getBytes(StandardCharsets.UTF_8);
        }

        boolean accepts(String ufrag) {
            return remoteUfrag == null || remoteUfrag.equals(ufrag);
        }
    }

    private final long consentTimeoutMillis;
    /** The newest credentials (read by control threads through {@link #localCredentials()}). */
    private volatile Generation current;
    /** The credentials before a restart, answered until the peer uses the new ones; else null. */
    private Generation previous;
    private InetSocketAddress selected;
    private boolean nominated;
    private long lastValidCheckMillis = -1;

    public IceSession(IceCredentials local, long consentTimeoutMillis) {
        this.current = new Generation(local);
        this.consentTimeoutMillis = consentTimeoutMillis;
    }

    /** The credentials the node writes into its next offer or answer. */
    public IceCredentials localCredentials() {
        return current.local;
    }

    /** The key that checks naming {@code localUfrag} are signed with (RFC 8445 7.2.2), or null if none of ours. */
    byte[] integrityKey(String localUfrag) {
        Generation generation = generation(localUfrag);
        return generation == null ? null : generation.key;
    }

    /**
     * The peer's credentials from its newest description. After {@link #restart} they belong to
     * the new generation; a description that keeps the ufrag changes nothing.
     */
    public void setRemoteCredentials(String ufrag, String pwd) {
        current.remoteUfrag = ufrag;
    }

    /**
     * Starts an ICE restart with {@code fresh} local credentials. The old ones stay valid until the
     * peer's first valid check with the new ones. A restart during a restart drops the middle
     * generation: the peer never got to use it, and the oldest still carries the media.
     *
     * @return the local ufrag no longer answered, or null
     */
    public String restart(IceCredentials fresh) {
        String dropped = null;
        if (previous == null) {
            previous = current;
        } else {
            dropped = current.local.ufrag();
        }
        current = new Generation(fresh);
        return dropped;
    }

    /** Whether a restart waits for the peer's first check with the new credentials. */
    public boolean restarting() {
        return previous != null;
    }

    /**
     * Whether a check's USERNAME `ours:theirs` names credentials of this session; before the
     * remote description is known any remote part is accepted (checks may overtake the answer).
     */
    boolean accepts(String localUfrag, String remoteUfrag) {
        Generation generation = generation(localUfrag);
        return generation != null && generation.accepts(remoteUfrag);
    }

    private Generation generation(String localUfrag) {
        if (current.local.ufrag().equals(localUfrag)) {
            return current;
        }
        Generation old = previous;
        return old != null && old.local.ufrag().equals(localUfrag) ? old : null;
    }

    /** A valid check with the newest credentials (as before any restart). */
    public void onValidCheck(InetSocketAddress from, boolean useCandidate, long nowMillis) {
        onValidCheck(from, useCandidate, nowMillis, current.local.ufrag());
    }

    /**
     * A valid check from {@code from} that named our {@code localUfrag}.
     *
     * @return the local ufrag a finished restart retired (no longer answered), or null
     */
    public String onValidCheck(InetSocketAddress from, boolean useCandidate, long nowMillis, String localUfrag) {
        lastValidCheckMillis = nowMillis;
        String retired = null;
        if (previous != null && current.local.ufrag().equals(localUfrag)) {
            retired = previous.local.ufrag();
            previous = null;
        }
        if (selected == null || (useCandidate && (!nominated || !selected.equals(from)))) {
            selected = from;
        }
        nominated |= useCandidate;
        return retired;
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
