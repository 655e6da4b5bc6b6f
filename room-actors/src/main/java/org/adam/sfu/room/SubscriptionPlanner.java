package org.adam.sfu.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which tracks a member should receive: every track of the others it auto-subscribes to or asked
 * for by id, never its own. A pure function of the member and the room's catalogue; rooms are
 * small (tens of members), so the room plans every member again on each change rather than keep
 * bookkeeping. Called on the room's actor.
 */
final class SubscriptionPlanner {

    private SubscriptionPlanner() {
    }

    /** The tracks {@code member} should receive, in the catalogue's order. */
    static List<TrackInfo> plan(RoomMember member, Collection<TrackInfo> catalogue) {
        return plan(member.id(), member.autoSubscribe, member.explicit, catalogue);
    }

    static List<TrackInfo> plan(ParticipantId member, boolean autoSubscribe, Set<TrackId> explicit,
                                Collection<TrackInfo> catalogue) {
        List<TrackInfo> wanted = new ArrayList<>();
        for (TrackInfo track : catalogue) {
            if (track.participantId().equals(member)) {
                continue;
            }
            if (autoSubscribe || explicit.contains(track.trackId())) {
                wanted.add(track);
            }
        }
        return List.copyOf(wanted);
    }
}
