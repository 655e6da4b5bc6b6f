package org.adam.sfu.room.policy;

import java.util.List;

import org.adam.sfu.room.CborSerializable;

/**
 * What the cluster knows about one neighbourhood: who owns it (may set its `sfu` block), its
 * `sfu` block if one was set, and its member DIDs (who may join its calls under DID auth).
 *
 * @param owner   the owner's DID, or null until registered
 * @param config  the `sfu` block, or null: the node's default (this node as gateway)
 * @param members member DIDs; empty until the executor or an operator tells the node
 */
public record NeighbourhoodPolicy(String owner, SfuConfig config, List<String> members) implements CborSerializable {

    public NeighbourhoodPolicy {
        members = List.copyOf(members);
    }

    public static final NeighbourhoodPolicy UNKNOWN = new NeighbourhoodPolicy(null, null, List.of());

    public SfuConfig effectiveConfig() {
        return config != null ? config : SfuConfig.gatewayDefault();
    }

    public boolean isMember(String did) {
        return members.contains(did);
    }

    public NeighbourhoodPolicy withOwner(String newOwner) {
        return new NeighbourhoodPolicy(newOwner, config, members);
    }

    public NeighbourhoodPolicy withConfig(SfuConfig newConfig) {
        return new NeighbourhoodPolicy(owner, newConfig, members);
    }

    public NeighbourhoodPolicy withMembers(List<String> newMembers) {
        return new NeighbourhoodPolicy(owner, config, newMembers);
    }
}
