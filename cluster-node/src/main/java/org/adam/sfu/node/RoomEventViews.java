package org.adam.sfu.node;

import java.util.LinkedHashMap;
import java.util.Map;

import org.adam.sfu.room.Room;
import org.adam.sfu.room.TrackInfo;

/**
 * A room's events as the GraphQL subscriptions callParticipants and callStreams deliver them;
 * null for an event the subscription does not carry. Stateless.
 */
final class RoomEventViews {

    private RoomEventViews() {
    }

    static Map<String, Object> participantEvent(String roomId, Room.Event event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("roomId", roomId);
        if (event instanceof Room.ParticipantJoined joined) {
            out.put("type", "joined");
            out.put("participantId", joined.participant().participantId().value());
            out.put("did", joined.participant().did());
            out.put("name", joined.participant().name());
            out.put("node", joined.participant().node());
        } else if (event instanceof Room.ParticipantLeft left) {
            out.put("type", "left");
            out.put("participantId", left.participantId().value());
            out.put("reason", left.reason().wireName());
        } else if (event instanceof Room.Closed closed) {
            out.put("type", "closed");
            out.put("reason", closed.reason());
        } else {
            return null;
        }
        return out;
    }

    static Map<String, Object> streamEvent(String roomId, Room.Event event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("roomId", roomId);
        if (event instanceof Room.TrackPublished published) {
            TrackInfo track = published.track();
            out.put("type", "published");
            out.put("trackId", track.trackId().value());
            out.put("participantId", track.participantId().value());
            out.put("kind", track.kind());
            out.put("source", track.source());
            out.put("layers", track.layers());
            out.put("muted", track.muted());
        } else if (event instanceof Room.TrackUnpublished unpublished) {
            out.put("type", "unpublished");
            out.put("trackId", unpublished.trackId().value());
        } else if (event instanceof Room.TrackMuted muted) {
            out.put("type", muted.muted() ? "muted" : "unmuted");
            out.put("trackId", muted.trackId().value());
            out.put("muted", muted.muted());
        } else {
            return null;
        }
        return out;
    }
}
