package org.adam.sfu.room.policy;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.adam.sfu.room.neighbourhood.SfuAnnounce;

/**
 * Which SFU node hosts a neighbourhood's calls (`sfuPeerForNeighbourhood`), from its policy and
 * the nodes' `sfu-announce` figures. Deterministic: every node given the same announces elects
 * the same peer, and the election is simply re-run when the elected node stops announcing.
 */
public final class PeerElection {

    /**
     * In cascaded mode, among the `sfuPeers` that announce themselves and have room: the least CPU
     * load (in steps of 0.1, so noise does not flap the choice), then the most free places, then
     * the most bandwidth forwarded, then the longest uptime, then the smallest DID.
     */
    static final Comparator<SfuAnnounce> CAPABILITY = Comparator
            .comparingLong((SfuAnnounce a) -> Math.round(a.cpuLoad() * 10))
            .thenComparing(a -> a.participantCount() - a.capacityHint())
            .thenComparing(a -> -a.bandwidthKbps())
            .thenComparing(a -> -a.uptimeS())
            .thenComparing(SfuAnnounce::did);

    private PeerElection() {
    }

    /**
     * @param self      this node's DID (the gateway of neighbourhoods with no `sfu` block)
     * @param announces the nodes' latest announces, this node's included
     * @return the DID, or empty in mesh mode or when no candidate is up
     */
    public static Optional<String> elect(SfuConfig config, String self, List<SfuAnnounce> announces) {
        return switch (config.mode()) {
            case "mesh" -> Optional.empty();
            case "designated" -> Optional.ofNullable(config.designatedPeer());
            case "gateway" -> Optional.of(self);
            default -> announces.stream()
                    .filter(a -> config.sfuPeers().contains(a.did()) && a.hasRoom())
                    .min(CAPABILITY)
                    .map(SfuAnnounce::did);
        };
    }
}
