package org.adam.sfu.node;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.adam.sfu.pipe.PipeStats;
import org.adam.sfu.room.Room;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.room.neighbourhood.SfuAnnounce;

/**
 * What the operator can learn about and do to the cluster, as records: the admin HTTP API
 * ({@link AdminApi}) writes them as JSON and the GraphQL resolvers as their types, so neither
 * reads the other's output. The stages complete on actor threads; callers hop to their own.
 */
interface ClusterAdmin {

    /** One member of the Pekko cluster. */
    record Member(String node, String address, String status, boolean reachable, List<String> roles) {
    }

    /** The cluster as this node sees it; {@code leader} is null while there is none. */
    record Membership(String self, String leader, List<Member> members, List<String> unreachable) {
    }

    /** A room that has participants somewhere, and the nodes they are on (sorted). */
    record RoomSummary(RoomKey key, List<String> nodes) {
    }

    /**
     * A room's state from its actor and the pipes every node reported for it;
     * {@code pipesComplete} is false when a node or one of its pipes did not answer.
     */
    record RoomDetail(Room.State state, List<PipeStats> pipes, boolean pipesComplete) {
    }

    Membership membership();

    /** Every node's latest announce. */
    CompletionStage<List<SfuAnnounce>> nodes();

    /** Rooms with participants, ordered by their entity id; nodes that do not answer in time are left out. */
    CompletionStage<List<RoomSummary>> rooms();

    /** Fails when the room does not answer in time. */
    CompletionStage<RoomDetail> room(RoomKey key);

    /** The node's load once it drains; empty when no node of that id is in the cluster. */
    CompletionStage<Optional<SfuNode.Load>> drain(String nodeId);
}
