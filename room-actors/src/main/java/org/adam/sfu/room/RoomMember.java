package org.adam.sfu.room;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * One participant of a room as the room sees it: who it is, where its actor is, which tracks it
 * asked for by name and which set it was last told to receive. Touched only by the room's actor.
 */
final class RoomMember {

    final ParticipantInfo info;
    final ActorRef<Room.Event> ref;
    final boolean autoSubscribe;
    /** Tracks asked for one by one; only tracks of this call (bounded by its catalogue). */
    final Set<TrackId> explicit = new HashSet<>();
    private Set<TrackId> lastSent = Set.of();

    RoomMember(ParticipantInfo info, ActorRef<Room.Event> ref, boolean autoSubscribe) {
        this.info = info;
        this.ref = ref;
        this.autoSubscribe = autoSubscribe;
    }

    ParticipantId id() {
        return info.participantId();
    }

    /** The ids of the tracks it was last told to receive (empty before the first plan). */
    Set<TrackId> lastSent() {
        return lastSent;
    }

    /**
     * Records {@code planned} as what it receives.
     *
     * @return whether that is another set than it was last told (so it must be told again)
     */
    boolean replaceSubscriptions(List<TrackInfo> planned) {
        Set<TrackId> wanted = planned.stream().map(TrackInfo::trackId).collect(Collectors.toSet());
        if (wanted.equals(lastSent)) {
            return false;
        }
        lastSent = Set.copyOf(wanted);
        return true;
    }
}
