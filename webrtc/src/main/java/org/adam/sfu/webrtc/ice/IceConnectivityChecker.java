package org.adam.sfu.webrtc.ice;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunMessageType;
import org.adam.sfu.webrtc.stun.StunMessageWriter;

/**
 * The controlling side of ICE towards one remote host candidate (sans-I/O): a node that offered
 * a pipe to another node checks the pair itself and nominates it (RFC 8445 7.2.4, 8.1.1), then
 * keeps sending consent checks (RFC 7675). Time is passed in; the caller sends what
 * {@link #poll} returns and feeds responses to {@link #onResponse}.
 *
 * <p>Confined to the media event loop.
 */
public final class IceConnectivityChecker {

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
    private final SecureRandom random;
    private byte[] pendingTransaction;
    private long nextSendMillis;
    private boolean connected;

    public IceConnectivityChecker(IceCredentials local, IceCredentials remote, InetSocketAddress target,
                                  SecureRandom random) {
        this.local = local;
        this.remote = remote;
        this.target = target;
        this.random = random;
        this.tieBreaker = random.nextLong();
    }

    public InetSocketAddress target() {
        return target;
    }

    public boolean isConnected() {
        return connected;
    }

    /** The next check to send to {@link #target()} now, or null if none is due. */
    public byte[] poll(long nowMillis) {
        if (nowMillis < nextSendMillis) {
            return null;
        }
        nextSendMillis = nowMillis + (connected ? CONSENT_INTERVAL_MILLIS : CONNECTING_INTERVAL_MILLIS);
        if (pendingTransaction == null || connected) {
            pendingTransaction = new byte[12];
            random.nextBytes(pendingTransaction);
        }
        return new StunMessageWriter(StunMessageType.BINDING_REQUEST, pendingTransaction)
                .username(remote.ufrag() + ":" + local.ufrag())
                .priority(PRIORITY)
                .iceControlling(tieBreaker)
                .useCandidate()
                .encode(remote.pwd().getBytes(StandardCharsets.UTF_8), true);
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
