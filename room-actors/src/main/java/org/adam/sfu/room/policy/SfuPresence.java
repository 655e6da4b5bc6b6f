package org.adam.sfu.room.policy;

import java.util.Set;

/**
 * The DIDs of the SFU nodes this node knows to be up (itself and every node announcing in the
 * cluster, draining ones left out): what "the policy's SFU is reachable" is decided against.
 * Written by the node's SfuNode actor, read by rooms.
 */
public final class SfuPresence {

    private volatile Set<String> live = Set.of();
    private volatile Set<String> signalUrls = Set.of();

    public Set<String> live() {
        return live;
    }

    public void update(Set<String> dids) {
        live = Set.copyOf(dids);
    }

    /**
     * The /signal URLs the other nodes of the cluster have announced, draining and departed ones
     * included: a page one of them served may be sent here (`node-full` redirect, drain
     * `reconnect`, a rejoin after its node died), so their origins are this node's allowed
     * origins too.
     */
    public Set<String> signalUrls() {
        return signalUrls;
    }

    public void updateSignalUrls(Set<String> urls) {
        signalUrls = Set.copyOf(urls);
    }
}
