package org.adam.sfu.room;

import java.util.Optional;
import java.util.function.Supplier;

import org.adam.sfu.room.policy.SfuConfig;
import org.adam.sfu.room.policy.TopologyDecision;

/**
 * How the room's call is carried, sfu or mesh: decided when the call starts (its first join) and
 * held until everyone has left, since clients would have to re-join to be carried another way;
 * decided again only when the neighbourhood's policy changes. Touched only by the room's actor.
 */
final class CallTopology {

    private final Supplier<TopologyDecision> decide;
    /** Null until the first call starts. */
    private TopologyDecision current;

    /** @param decide how a call of this room's neighbourhood would be carried now */
    CallTopology(Supplier<TopologyDecision> decide) {
        this.decide = decide;
    }

    /** Null until the first call starts. */
    TopologyDecision current() {
        return current;
    }

    /**
     * A participant joins: when the room is empty a new call starts and its topology is decided.
     *
     * @return the new decision, or empty when the call goes on as it is
     */
    Optional<TopologyDecision> onJoin(boolean roomEmpty) {
        if (roomEmpty || current == null) {
            current = decide.get();
            return Optional.of(current);
        }
        return Optional.empty();
    }

    /**
     * The policy changed: decide again for the call in progress.
     *
     * @return the new decision if the call is now to be carried another way
     */
    Optional<TopologyDecision> reconsider(boolean roomEmpty) {
        if (roomEmpty || current == null) {
            return Optional.empty();
        }
        TopologyDecision now = decide.get();
        if (now.topology().equals(current.topology())) {
            return Optional.empty();
        }
        current = now;
        return Optional.of(now);
    }

    /** The warning members get when a mesh call grows beyond what mesh is meant for. */
    Optional<Room.Warning> meshWarning(SfuConfig policy, int members) {
        if (!current.mesh() || !TopologyDecision.meshTooLarge(policy, members)) {
            return Optional.empty();
        }
        return Optional.of(new Room.Warning("mesh-too-large", "no SFU is reachable and this call has " + members
                + " participants, more than mesh is meant for (" + policy.maxMeshParticipants()
                + "); trying mesh anyway"));
    }
}
