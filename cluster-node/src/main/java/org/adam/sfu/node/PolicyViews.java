package org.adam.sfu.node;

import java.util.LinkedHashMap;
import java.util.Map;

import org.adam.sfu.room.policy.NeighbourhoodDirectory;
import org.adam.sfu.room.policy.NeighbourhoodPolicy;

/**
 * A neighbourhood's policy as the GraphQL types `SfuConfig` and `Neighbourhood` show it, read from
 * this node's replicated directory. Holds no state; any thread.
 */
final class PolicyViews {

    private final NeighbourhoodDirectory directory;

    PolicyViews(NeighbourhoodDirectory directory) {
        this.directory = directory;
    }

    Map<String, Object> config(String neighbourhood) {
        NeighbourhoodPolicy policy = directory.policy(neighbourhood);
        Map<String, Object> view = new LinkedHashMap<>(policy.effectiveConfig().toMap());
        view.put("configured", policy.config() != null);
        return view;
    }

    Map<String, Object> neighbourhood(String neighbourhood) {
        NeighbourhoodPolicy policy = directory.policy(neighbourhood);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("neighbourhoodUrl", neighbourhood);
        view.put("owner", policy.owner());
        view.put("members", policy.members());
        view.put("config", config(neighbourhood));
        return view;
    }
}
