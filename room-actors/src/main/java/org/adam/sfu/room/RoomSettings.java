package org.adam.sfu.room;

import java.time.Duration;

/**
 * Limits and timings of a room, passed in when the room is created (never read from config
 * inside the actor).
 *
 * @param maxParticipants a join beyond this is refused with `room-full`
 * @param idleTimeout     how long an empty room stays alive before it passivates
 * @param rebuildSettleTime after a re-created room hears its first participant report, how long
 *                        it waits for the others before it tells members who was lost
 */
public record RoomSettings(int maxParticipants, Duration idleTimeout, Duration rebuildSettleTime) {
}
