package org.adam.sfu.room;

import java.time.Duration;
import java.util.function.ToIntFunction;

/**
 * Limits and timings of a room, passed in when the room is created (never read from config
 * inside the actor).
 *
 * @param maxParticipants a join beyond this is refused with `room-full`
 * @param idleTimeout     how long an empty room stays alive before it passivates
 * @param rebuildSettleTime after a re-created room hears its first participant report, how long
 *                        it waits for the others before it tells members who was lost
 * @param neighbourhoodLimit the neighbourhood's own participant limit (its `sfu` block's
 *                        `maxParticipants`), 0 for none; read at each join, so a change applies
 */
public record RoomSettings(int maxParticipants, Duration idleTimeout, Duration rebuildSettleTime,
                           ToIntFunction<String> neighbourhoodLimit) {

    public RoomSettings(int maxParticipants, Duration idleTimeout, Duration rebuildSettleTime) {
        this(maxParticipants, idleTimeout, rebuildSettleTime, neighbourhood -> 0);
    }

    /** The participant limit of a room of {@code neighbourhood}: the lower of the node's and its own. */
    public int limitFor(String neighbourhood) {
        int own = neighbourhoodLimit.applyAsInt(neighbourhood);
        return own > 0 ? Math.min(own, maxParticipants) : maxParticipants;
    }
}
