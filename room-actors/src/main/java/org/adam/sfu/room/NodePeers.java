package org.adam.sfu.room;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.adam.sfu.room.neighbourhood.SfuAnnounce;
import org.adam.sfu.room.policy.SfuPresence;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The other SFU nodes of the cluster as their latest `sfu-announce` describes them: where a full
 * or draining node sends joins (the least-loaded node with room), and which nodes are up for
 * rooms deciding their topology. Touched only by the SfuNode actor.
 */
final class NodePeers {

    /** Bounded: only cluster members announce, and a cluster has far fewer nodes than this. */
    static final int MAX_REMEMBERED_SIGNAL_URLS = 1024;

    private record Peer(SfuAnnounce announce, ActorRef<SfuNode.Command> ref) {
    }

    /** Every SfuNode actor the receptionist lists, this node's own included. */
    private Set<ActorRef<SfuNode.Command>> listed = Set.of();
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    /** Kept after a node leaves: pages it served reconnect through the survivors. */
    private final Set<String> announcedSignalUrls = new HashSet<>();

    /**
     * Records a node's latest announce.
     *
     * @return whether the node was not known (its first announce)
     */
    boolean announced(SfuAnnounce announce, ActorRef<SfuNode.Command> from) {
        boolean first = !peers.containsKey(announce.node());
        peers.put(announce.node(), new Peer(announce, from));
        return first;
    }

    /** The receptionist's latest listing of SfuNode actors (the peers are forgotten separately). */
    void listed(Set<ActorRef<SfuNode.Command>> actors) {
        listed = actors;
    }

    /** Tells every listed SfuNode actor but {@code self} {@code command}. */
    void tellListed(SfuNode.Command command, ActorRef<SfuNode.Command> self) {
        for (ActorRef<SfuNode.Command> peer : listed) {
            if (!peer.equals(self)) {
                peer.tell(command);
            }
        }
    }

    /**
     * Forgets the nodes whose actors the receptionist no longer lists.
     *
     * @return the names of the nodes forgotten, in the order they first announced
     */
    List<String> forgetUnlisted() {
        List<String> left = new ArrayList<>();
        peers.values().removeIf(peer -> {
            if (listed.contains(peer.ref())) {
                return false;
            }
            left.add(peer.announce().node());
            return true;
        });
        return left;
    }

    /** The signal URL of the least-loaded node with room (ties to the lower node name). */
    Optional<String> leastLoaded() {
        return peers.values().stream()
                .map(Peer::announce)
                .filter(SfuAnnounce::hasRoom)
                .min(Comparator.comparingDouble((SfuAnnounce a) -> (double) a.participantCount() / a.capacityHint())
                        .thenComparing(SfuAnnounce::node))
                .map(SfuAnnounce::signalUrl);
    }

    /** The actor of the node named {@code node}, if it announced. */
    Optional<ActorRef<SfuNode.Command>> ref(String node) {
        return Optional.ofNullable(peers.get(node)).map(Peer::ref);
    }

    /** Every node's latest announce, {@code own} (this node's) included, sorted by node name. */
    List<SfuAnnounce> withOwn(SfuAnnounce own) {
        List<SfuAnnounce> all = new ArrayList<>();
        all.add(own);
        peers.values().forEach(p -> all.add(p.announce()));
        all.sort(Comparator.comparing(SfuAnnounce::node));
        return all;
    }

    /**
     * Tells {@code presence} the SFU nodes up (this one unless draining, and every announcing
     * peer that is not draining) and every signal URL announced so far.
     */
    void publish(SfuPresence presence, String ownDid, boolean draining) {
        Set<String> live = new HashSet<>();
        if (!draining) {
            live.add(ownDid);
        }
        peers.values().stream().map(Peer::announce).filter(a -> !a.draining()).forEach(a -> live.add(a.did()));
        presence.update(live);
        peers.values().forEach(peer -> {
            if (announcedSignalUrls.size() < MAX_REMEMBERED_SIGNAL_URLS) {
                announcedSignalUrls.add(peer.announce().signalUrl());
            }
        });
        presence.updateSignalUrls(announcedSignalUrls);
    }
}
