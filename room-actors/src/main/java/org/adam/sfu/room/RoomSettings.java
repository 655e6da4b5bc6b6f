package org.adam.sfu.room;

import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.adam.sfu.room.policy.SfuConfig;
import org.adam.sfu.room.policy.TopologyDecision;

/**
 * Limits and timings of a room, passed in when the room is created (never read from config
 * inside the actor).
 *
 * @param maxParticipants a join beyond this is refused with `room-full`
 * @param idleTimeout     how long an empty room stays alive before it passivates
 * @param rebuildSettleTime after a re-created room hears its first participant report, how long
 *                        it waits for the others before it tells members who was lost
 * @param policy          a neighbourhood's effective `sfu` block; read at each join, so a change
 *                        applies to the next join (and the next call's topology)
 * @param liveSfus        the DIDs of the SFU nodes up now
 */
public record RoomSettings(int maxParticipants, Duration idleTimeout, Duration rebuildSettleTime,
                           Function<String, SfuConfig> policy, Supplier<Set<String>> liveSfus) {

    /** A room of the node's default policy: this node is every neighbourhood's gateway SFU. */
    public RoomSettings(int maxParticipants, Duration idleTimeout, Duration rebuildSettleTime) {
        this(maxParticipants, idleTimeout, rebuildSettleTime, neighbourhood -> SfuConfig.gatewayDefault(), Set::of);
    }

    /** The participant limit of a room of {@code neighbourhood}: the lower of the node's and its own. */
    public int limitFor(String neighbourhood) {
        int own = policy.apply(neighbourhood).maxParticipants();
        return own > 0 ? Math.min(own, maxParticipants) : maxParticipants;
    }

    /** How a new call of {@code neighbourhood} is carried. */
    public TopologyDecision topologyFor(String neighbourhood) {
        return TopologyDecision.decide(policy.apply(neighbourhood), liveSfus.get());
    }
}
