package org.adam.sfu.room.policy;

import java.util.Set;

/**
 * How a call is carried, as the source design's call flow says: through the SFU when the
 * policy's SFU is reachable (the designated peer, this node as gateway, or any of the cascaded
 * `sfuPeers`); otherwise mesh, the only fallback, with a warning when the call is larger than
 * `maxMeshParticipants`.
 *
 * @param topology sfu | mesh
 * @param reason   policy | sfu-unreachable (why mesh) or reachable (why sfu)
 */
public record TopologyDecision(String topology, String reason) {

    public static TopologyDecision decide(SfuConfig config, Set<String> liveSfus) {
        boolean reachable = switch (config.mode()) {
            case "mesh" -> false;
            case "gateway" -> true;
            case "designated" -> liveSfus.contains(config.designatedPeer());
            default -> config.sfuPeers().stream().anyMatch(liveSfus::contains);
        };
        if (reachable) {
            return new TopologyDecision("sfu", "reachable");
        }
        return new TopologyDecision("mesh", config.mode().equals("mesh") ? "policy" : "sfu-unreachable");
    }

    public boolean mesh() {
        return topology.equals("mesh");
    }

    /** A mesh call of {@code participants} is over what the policy runs mesh for without a warning. */
    public static boolean meshTooLarge(SfuConfig config, int participants) {
        return participants > config.maxMeshParticipants();
    }
}
