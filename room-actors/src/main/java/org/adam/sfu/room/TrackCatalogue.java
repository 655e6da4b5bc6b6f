package org.adam.sfu.room;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tracks published in a room, in the order they were published, and who owns each: only its
 * publisher may unpublish or mute a track. Touched only by the room's actor.
 */
final class TrackCatalogue {

    private final Map<TrackId, TrackInfo> tracks = new LinkedHashMap<>();

    /** The track, or null when none of that id is published. */
    TrackInfo get(TrackId trackId) {
        return tracks.get(trackId);
    }

    boolean contains(TrackId trackId) {
        return tracks.containsKey(trackId);
    }

    /** Adds or replaces the track of that id. */
    void put(TrackInfo track) {
        tracks.put(track.trackId(), track);
    }

    void remove(TrackId trackId) {
        tracks.remove(trackId);
    }

    /** Whether {@code trackId} is published and by {@code owner}. */
    boolean isOwnedBy(TrackId trackId, ParticipantId owner) {
        TrackInfo track = tracks.get(trackId);
        return track != null && track.participantId().equals(owner);
    }

    /**
     * Mutes or unmutes a track for its owner.
     *
     * @return whether that changed anything (not the owner's, unknown, or already so: false)
     */
    boolean setMuted(ParticipantId owner, TrackId trackId, boolean muted) {
        TrackInfo track = tracks.get(trackId);
        if (track == null || !track.participantId().equals(owner) || track.muted() == muted) {
            return false;
        }
        tracks.put(trackId, track.withMuted(muted));
        return true;
    }

    /** The ids of the tracks {@code owner} published, in publishing order. */
    List<TrackId> publishedBy(ParticipantId owner) {
        return tracks.values().stream()
                .filter(t -> t.participantId().equals(owner)).map(TrackInfo::trackId).toList();
    }

    /** A copy, in publishing order. */
    List<TrackInfo> all() {
        return List.copyOf(tracks.values());
    }

    /** A read-only view, in publishing order. */
    Collection<TrackInfo> view() {
        return Collections.unmodifiableCollection(tracks.values());
    }

    /** A read-only view of the published ids. */
    Set<TrackId> ids() {
        return Collections.unmodifiableSet(tracks.keySet());
    }

    int size() {
        return tracks.size();
    }
}
