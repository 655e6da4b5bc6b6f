package org.adam.sfu.room;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether a node takes a join. Capacity is a hard limit: a node at capacity redirects to the
 * least-loaded node with room, or refuses (`node-full`) when there is none. A draining node below
 * capacity redirects when it can and admits otherwise. A pure function; called on the SfuNode actor.
 */
final class NodeAdmission {

    private NodeAdmission() {
    }

    /**
     * @param here        participants on this node now
     * @param elsewhere   the signal URL of the least-loaded node with room, if any (asked only
     *                    when this node would not admit)
     * @return empty to admit here; otherwise the answer: {@link SfuNode.Redirected} or {@link SfuNode.Full}
     */
    static Optional<SfuNode.JoinOutcome> decide(int here, int capacity, boolean draining,
                                                Supplier<Optional<String>> elsewhere) {
        boolean full = here >= capacity;
        if (!full && !draining) {
            return Optional.empty();
        }
        Optional<String> peer = elsewhere.get();
        if (peer.isPresent()) {
            return Optional.of(new SfuNode.Redirected(peer.get()));
        }
        if (full) {
            return Optional.of(new SfuNode.Full("this node is full (" + capacity
                    + " participants) and no other node has room"));
        }
        return Optional.empty();
    }
}
