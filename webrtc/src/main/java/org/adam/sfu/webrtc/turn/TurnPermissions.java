package org.adam.sfu.webrtc.turn;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A TURN client's permissions (RFC 8656 section 9): one per peer IP address (ports do not
 * matter), each refreshed before its 5 minutes run out, and at most {@link #MAX} of them.
 */
final class TurnPermissions {

    static final int MAX = 1024;

    private final long refreshMillis;
    private final Map<InetAddress, Long> refreshAt = new HashMap<>();
    private final Set<InetAddress> installed = new HashSet<>();

    TurnPermissions(long refreshMillis) {
        this.refreshMillis = refreshMillis;
    }

    /** Starts keeping a permission for {@code peer}; false if it is kept already. */
    boolean add(InetAddress peer, long now) {
        if (refreshAt.containsKey(peer)) {
            return false;
        }
        if (refreshAt.size() >= MAX) {
            throw new IllegalStateException("more than " + MAX + " permissions");
        }
        refreshAt.put(peer, now + refreshMillis);
        return true;
    }

    /** The server installed it; true the first time (not for refreshes or a dropped peer). */
    boolean confirm(InetAddress peer) {
        return refreshAt.containsKey(peer) && installed.add(peer);
    }

    void drop(InetAddress peer) {
        refreshAt.remove(peer);
        installed.remove(peer);
    }

    /** The peers whose permission must be refreshed now; their next refresh is set. */
    List<InetAddress> dueForRefresh(long now) {
        List<InetAddress> due = new ArrayList<>();
        for (Map.Entry<InetAddress, Long> permission : refreshAt.entrySet()) {
            if (permission.getValue() <= now) {
                permission.setValue(now + refreshMillis);
                due.add(permission.getKey());
            }
        }
        return due;
    }

    long nextRefresh() {
        long next = Long.MAX_VALUE;
        for (long at : refreshAt.values()) {
            next = Math.min(next, at);
        }
        return next;
    }

    void clear() {
        refreshAt.clear();
        installed.clear();
    }
}
