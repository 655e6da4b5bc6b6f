package org.adam.sfu.room.policy;

import java.util.Map;

/**
 * This node's read-only view of every neighbourhood's policy, as last replicated: joins and
 * rooms read it without asking an actor. Written only by {@link Neighbourhoods}.
 */
public final class NeighbourhoodDirectory {

    private volatile Map<String, NeighbourhoodPolicy> policies = Map.of();

    /** The policy of {@code neighbourhood}; {@link NeighbourhoodPolicy#UNKNOWN} if none was set. */
    public NeighbourhoodPolicy policy(String neighbourhood) {
        return policies.getOrDefault(neighbourhood, NeighbourhoodPolicy.UNKNOWN);
    }

    public Map<String, NeighbourhoodPolicy> all() {
        return policies;
    }

    void replace(Map<String, NeighbourhoodPolicy> next) {
        policies = Map.copyOf(next);
    }
}
