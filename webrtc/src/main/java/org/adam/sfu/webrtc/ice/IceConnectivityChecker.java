package org.adam.sfu.webrtc.ice;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunMessageType;
import org.adam.sfu.webrtc.stun.StunMessageWriter;

/**
 * Connectivity checks towards one remote host candidate (sans-I/O): a node that offered a pipe
 * to another node checks the pair itself and nominates it as the controlling agent (RFC 8445
 * 7.2.4, 8.1.1), then keeps sending consent checks (RFC 7675). As the controlled agent (towards a
 * full-ICE offerer) the checks carry ICE-CONTROLLED and never nominate: the peer does (RFC 8445
 * 7.1.2, 7.2.5.2.4). Time is passed in; the caller sends what {@link #poll} returns and feeds
 * responses to {@link #onResponse}.
 *
 * <p>Confined to the media event loop.
 */
public final class IceConnectivityChecker {

    /** RFC 8445 6.1.1: the agent that nominates, or the one that follows. */
    public enum Role { CONTROLLING, CONTROLLED }

    /** Retransmission interval while connecting (RFC 8445 14.3 paces 50 ms; one pair, so 100 ms). */
    static final long CONNECTING_INTERVAL_MILLIS = 100;
    /** Consent checks every ~5 s once connected (RFC 7675 5.1 randomises 4-6 s). */
    static final long CONSENT_INTERVAL_MILLIS = 5000;
    /** Peer-reflexive priority of a host candidate, component 1 (RFC 8445 5.1.2.1). */
    private static final long PRIORITY = (110L << 24) | (65535L << 8) | 255;

    private final IceCredentials local;
    private final IceCredentials remote;
    private final InetSocketAddress target;
    private final long tieBreaker;
    private final Role role;
    private final SecureRandom random;
    private byte[] pendingTransaction;
    private long nextSendMillis;
    private long firstSentMillis = -1;
    private boolean connected;

    /** The controlling agent. */
    public IceConnectivityChecker(IceCredentials local, IceCredentials remote, InetSocketAddress target,
                                  SecureRandom random) {
        this(local, remote, target, random, Role.CONTROLLING);
    }

    public IceConnectivityChecker(IceCredentials local, IceCredentials remote, InetSocketAddress target,
                                  SecureRandom random, Role role) {
        this.role = role;
        this.local = local;
        this.remote = remote;
        this.target = target;
        this.random = random;
        this.tieBreaker = random.nextLong();
    }

    public InetSocketAddress target() {
        return target;
    }

    public Role role() {
        return role;
    }

    public boolean isConnected() {
        return connected;
    }

    /** Whether its checks have gone unanswered for {@code millis} since the first. */
    public boolean unansweredFor(long nowMillis, long millis) {
        return !connected && firstSentMillis >= 0 && nowMillis - firstSentMillis >= millis;
    }

    /** The next check to send to {@link #target()} now, or null if none is due. */
    public byte[] poll(long nowMillis) {
        if (nowMillis < nextSendMillis) {
            return null;
        }
        if (firstSentMillis < 0) {
            firstSentMillis = nowMillis;
        }
        nextSendMillis = nowMillis + (connected ? CONSENT_INTERVAL_MILLIS : CONNECTING_INTERVAL_MILLIS);
        if (pendingTransaction == null || connected) {
            pendingTransaction = new byte[12];
            random.nextBytes(pendingTransaction);
        }
        StunMessageWriter check = new StunMessageWriter(StunMessageType.BINDING_REQUEST, pendingTransaction)
                .username(remote.ufrag() + ":" + local.ufrag())
                .priority(PRIORITY);
        if (role == Role.CONTROLLING) {
            check.iceControlling(tieBreaker).useCandidate();
        } else {
            check.iceControlled(tieBreaker);
        }
        return check.encode(remote.pwd().getBytes(StandardCharsets.UTF_8), true);
    }

    /**
     * A STUN response arrived from {@code from}.
     * @return true if it answered our current check with valid integrity
     */
    public boolean onResponse(StunMessage response, InetSocketAddress from) {
        if (pendingTransaction == null || !response.sameTransaction(pendingTransaction) || !target.equals(from)) {
            return false;
        }
        if (response.type() != StunMessageType.BINDING_SUCCESS
                || !response.verifyIntegrity(remote.pwd().getBytes(StandardCharsets.UTF_8))) {
            return false;
        }
        pendingTransaction = null;
        connected = true;
        return true;
    }
}
