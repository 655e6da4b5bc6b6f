package org.adam.sfu.room.media;

import java.util.HashSet;
import java.util.Set;

import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The tracks of other nodes one subscriber holds: asked of the broker once (a pipe brings each
 * here once for all its receivers), awaited until the pipe has it, released when no longer
 * wanted. Used only on the owning participant's actor thread.
 */
final class RemoteTrackHolds {

    private final RemoteTrackBroker broker;
    private final RoomKey room;
    private final ParticipantId owner;
    /** Told {@link Participant.RemoteTrackReady} when a held track is forwarded here. */
    private final ActorRef<Participant.Command> notify;
    /** Tracks asked of the broker and not yet ready here. */
    private final Set<TrackId> awaiting = new HashSet<>();
    /** Tracks held for this participant (ready or not): released when unwanted. */
    private final Set<TrackId> held = new HashSet<>();

    RemoteTrackHolds(RemoteTrackBroker broker, RoomKey room, ParticipantId owner,
                     ActorRef<Participant.Command> notify) {
        this.broker = broker;
        this.room = room;
        this.owner = owner;
        this.notify = notify;
    }

    /** Holds {@code track} for this subscriber, asking the broker for it the first time. */
    void hold(TrackInfo track) {
        if (held.add(track.trackId())) {
            awaiting.add(track.trackId());
            broker.need(room, track, owner, notify);
        }
    }

    /** Whether {@code trackId} was asked for and the pipe has not brought it yet. */
    boolean awaiting(TrackId trackId) {
        return awaiting.contains(trackId);
    }

    /** The pipe brought {@code trackId}; false if it was not awaited (released meanwhile). */
    boolean arrived(TrackId trackId) {
        return awaiting.remove(trackId);
    }

    /** Releases every held track not in {@code wanted}. */
    void releaseAllBut(Set<TrackId> wanted) {
        held.removeIf(trackId -> {
            if (wanted.contains(trackId)) {
                return false;
            }
            awaiting.remove(trackId);
            broker.release(room, trackId, owner);
            return true;
        });
    }

    /** The layers ({@code mask}) this subscriber needs of a held track, so its pipe carries only those. */
    void demand(TrackInfo track, int mask) {
        broker.demand(room, track, owner, mask);
    }
}
