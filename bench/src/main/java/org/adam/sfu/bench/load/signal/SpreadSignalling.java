package org.adam.sfu.bench.load.signal;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Participants spread over the nodes of one cluster: the k-th join goes to node k mod n. The
 * scenarios join publishers first, so a fan-out's publisher lands on the first node and its
 * subscribers on all of them, and the cluster must pipe the tracks to the other nodes.
 */
public final class SpreadSignalling implements SfuSignalling {

    private final List<SfuSignalling> nodes;
    private final AtomicInteger joins = new AtomicInteger();

    public SpreadSignalling(List<SfuSignalling> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no nodes");
        }
        this.nodes = List.copyOf(nodes);
    }

    @Override
    public String sfuName() {
        return nodes.get(0).sfuName() + "-" + nodes.size() + "-nodes";
    }

    @Override
    public SfuSession join(String room, String displayName, SubscribeOfferHandler subscribeOffers)
            throws SignallingException {
        return nodes.get(Math.floorMod(joins.getAndIncrement(), nodes.size())).join(room, displayName, subscribeOffers);
    }
}
