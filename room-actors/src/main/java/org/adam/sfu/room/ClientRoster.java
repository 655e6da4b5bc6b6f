package org.adam.sfu.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a participant's client has been told of its room (who is in it, which tracks it has) and
 * which of those tracks it asked for by name: a rebuilt room's roster is reconciled against it,
 * and a client's subscriptions are kept to tracks it knows, so it cannot grow what the node keeps
 * and reports. Pure state; touched only by the participant's actor thread.
 */
final class ClientRoster {

    /** What a rebuilt room no longer has of what the client was told, in the order to tell it. */
    record Gone(List<TrackId> tracks, List<ParticipantId> participants) {
    }

    private final ParticipantId self;
    private final Set<ParticipantId> participants = new HashSet<>();
    private final Map<TrackId, ParticipantId> tracks = new HashMap<>();
    private final Set<TrackId> explicitSubscriptions = new HashSet<>();

    ClientRoster(ParticipantId self) {
        this.self = self;
    }

    /** The room took the participant; the client is told of these others and tracks. */
    void admitted(List<ParticipantInfo> others, List<TrackInfo> known) {
        others.forEach(p -> participants.add(p.participantId()));
        known.forEach(t -> tracks.put(t.trackId(), t.participantId()));
    }

    /** Follows a room event the client is told of (others are ignored). */
    void apply(Room.Event event) {
        if (event instanceof Room.ParticipantJoined e) {
            participants.add(e.participant().participantId());
        } else if (event instanceof Room.ParticipantLeft e) {
            participants.remove(e.participantId());
        } else if (event instanceof Room.TrackPublished e) {
            tracks.put(e.track().trackId(), e.track().participantId());
        } else if (event instanceof Room.TrackUnpublished e) {
            tracks.remove(e.trackId());
            explicitSubscriptions.remove(e.trackId());
        }
    }

    /** Of {@code requested}, the tracks the client was told of, each once. */
    List<TrackId> known(List<TrackId> requested) {
        return requested.stream().filter(tracks::containsKey).distinct().toList();
    }

    void subscribe(List<TrackId> trackIds, boolean subscribe) {
        if (subscribe) {
            explicitSubscriptions.addAll(trackIds);
        } else {
            explicitSubscriptions.removeAll(trackIds);
        }
    }

    List<TrackId> explicitSubscriptions() {
        return List.copyOf(explicitSubscriptions);
    }

    /**
     * A rebuilt room lost whoever was on a failed node: forgets what {@code roster} no longer has
     * (the participant's own tracks stay) and says what that was.
     */
    Gone reconcile(Room.Roster roster) {
        Set<TrackId> present = new HashSet<>();
        roster.tracks().forEach(t -> present.add(t.trackId()));
        Set<ParticipantId> here = new HashSet<>();
        roster.participants().forEach(p -> here.add(p.participantId()));
        here.add(self);
        List<TrackId> goneTracks = new ArrayList<>();
        tracks.entrySet().removeIf(entry -> {
            if (present.contains(entry.getKey()) || entry.getValue().equals(self)) {
                return false;
            }
            goneTracks.add(entry.getKey());
            explicitSubscriptions.remove(entry.getKey());
            return true;
        });
        List<ParticipantId> goneParticipants = new ArrayList<>();
        participants.removeIf(participant -> {
            if (here.contains(participant)) {
                return false;
            }
            goneParticipants.add(participant);
            return true;
        });
        return new Gone(goneTracks, goneParticipants);
    }
}
