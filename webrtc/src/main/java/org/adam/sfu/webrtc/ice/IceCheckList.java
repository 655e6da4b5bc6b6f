package org.adam.sfu.webrtc.ice;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import org.adam.sfu.webrtc.stun.StunMessage;

/**
 * The checks a transport sends to every candidate of its peer, one pair per candidate (sans-I/O).
 *
 * <p>As the controlling agent (a node that offered a pipe) the first pair that answers is
 * nominated and the others are dropped: only it carries consent checks on (RFC 8445 8.1.1,
 * RFC 7675). As the controlled agent the checks nominate nothing; they open the way through this
 * side's NAT, so that the controlling peer's checks, sent to this side's server-reflexive
 * address, are let in; each pair that answered is then kept alive with consent checks. Either
 * side checks back any address the peer's checks come from ({@link #add}).
 *
 * <p>Confined to the media event loop.
 */
public final class IceCheckList {

    /** Pairs at most: the peer's candidates and the peer-reflexive addresses its checks came from. */
    public static final int MAX_PAIRS = 16;
    /**
     * A pair whose checks go unanswered this long is dropped: nothing is there, or nothing lets
     * the checks through; either way the addresses a peer names get no more than about a hundred
     * checks each.
     */
    public static final long GIVE_UP_MILLIS = 10_000;

    private final IceCredentials local;
    private final IceCredentials remote;
    private final IceConnectivityChecker.Role role;
    private final SecureRandom random;
    private final List<IceConnectivityChecker> pairs;
    private boolean nominated;

    public IceCheckList(IceCredentials local, IceCredentials remote, List<InetSocketAddress> candidates,
                        IceConnectivityChecker.Role role, SecureRandom random) {
        this.local = local;
        this.remote = remote;
        this.role = role;
        this.random = random;
        this.pairs = new ArrayList<>(candidates.size());
        for (InetSocketAddress candidate : candidates) {
            if (pairs.size() < MAX_PAIRS && !targets().contains(candidate)) {
                pairs.add(new IceConnectivityChecker(local, remote, candidate, random, role));
            }
        }
    }

    /**
     * Checks {@code candidate} too, unless a pair is nominated, it is checked already, or the list
     * is full: a candidate the peer trickled, or the address a valid check of the peer came from
     * that no pair checks yet (a triggered check towards a peer-reflexive candidate, RFC 8445
     * 7.3.1.3, 7.3.1.4). The latter is the path when the peer's NAT gave this flow another port
     * than the one its STUN server saw (a Linux router does when an earlier packet from here
     * already holds that port's tuple).
     *
     * @return true if a pair was added (poll now to send its check)
     */
    public boolean add(InetSocketAddress candidate) {
        if (nominated || pairs.size() >= MAX_PAIRS || targets().contains(candidate)) {
            return false;
        }
        pairs.add(new IceConnectivityChecker(local, remote, candidate, random, role));
        return true;
    }

    public IceConnectivityChecker.Role role() {
        return role;
    }

    public int size() {
        return pairs.size();
    }

    /** The candidates still checked. */
    public List<InetSocketAddress> targets() {
        return pairs.stream().map(IceConnectivityChecker::target).toList();
    }

    /** Hands {@code send} each check that is due now, with its destination. */
    public void poll(long nowMillis, BiConsumer<byte[], InetSocketAddress> send) {
        pairs.removeIf(pair -> pair.unansweredFor(nowMillis, GIVE_UP_MILLIS));
        for (int i = 0; i < pairs.size(); i++) {
            IceConnectivityChecker pair = pairs.get(i);
            byte[] check = pair.poll(nowMillis);
            if (check != null) {
                send.accept(check, pair.target());
            }
        }
    }

    /** What a response meant. */
    public enum Answer {
        /** Not an answer to a check of ours (or its integrity failed). */
        NONE,
        /** A check of ours answered: the peer still consents to this pair. */
        VALID,
        /** The controlling agent's first answered pair, nominated now: media goes to it. */
        NOMINATED
    }

    /** A STUN response from {@code from}. */
    public Answer onResponse(StunMessage response, InetSocketAddress from) {
        for (IceConnectivityChecker pair : pairs) {
            if (pair.target().equals(from) && pair.onResponse(response, from)) {
                if (role == IceConnectivityChecker.Role.CONTROLLED || nominated) {
                    return Answer.VALID;
                }
                nominated = true;
                pairs.removeIf(other -> other != pair);
                return Answer.NOMINATED;
            }
        }
        return Answer.NONE;
    }
}
