package org.adam.sfu.room;

import java.util.HashSet;
import java.util.Set;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * Those outside a call (GraphQL subscriptions) who follow its roster and catalogue: they hear who
 * joins and leaves, which tracks come, go or are muted, and that the call closed, nothing
 * addressed to members only. Touched only by the room's actor.
 */
final class RoomWatchers {

    private final Set<ActorRef<Room.Event>> watchers = new HashSet<>();

    /** @return whether it was not watching yet (so the room should watch it for termination) */
    boolean add(ActorRef<Room.Event> watcher) {
        return watchers.add(watcher);
    }

    void remove(ActorRef<Room.Event> watcher) {
        watchers.remove(watcher);
    }

    int size() {
        return watchers.size();
    }

    /** Tells every watcher {@code event} if it is one watchers follow. */
    void tell(Room.Event event) {
        if (follows(event)) {
            for (ActorRef<Room.Event> watcher : watchers) {
                watcher.tell(event);
            }
        }
    }

    static boolean follows(Room.Event event) {
        return event instanceof Room.ParticipantJoined || event instanceof Room.ParticipantLeft
                || event instanceof Room.TrackPublished || event instanceof Room.TrackUnpublished
                || event instanceof Room.TrackMuted || event instanceof Room.Closed;
    }
}
