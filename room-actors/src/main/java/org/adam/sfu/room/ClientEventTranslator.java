package org.adam.sfu.room;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a participant tells its client, made from what it hears (room events, the data plane, the
 * node): the protocol's events as {@link ClientEvent}s. Pure functions; called on the
 * participant's actor thread.
 */
final class ClientEventTranslator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientEventTranslator() {
    }

    /**
     * The client event for a room-state event (numbered and kept for a resume): who joined and
     * left, which tracks came, went or were muted, the call's topology.
     *
     * @return null if {@code event} is not one
     */
    static ClientEvent roomState(Room.Event event) {
        if (event instanceof Room.TopologyChanged changed) {
            return new ClientEvent.Custom("topology", Map.of("topology", changed.topology(),
                    "reason", changed.reason()));
        } else if (event instanceof Room.ParticipantJoined e) {
            return new ClientEvent.ParticipantJoined(e.participant());
        } else if (event instanceof Room.ParticipantLeft e) {
            return new ClientEvent.ParticipantLeft(e.participantId(), e.reason());
        } else if (event instanceof Room.TrackPublished e) {
            return new ClientEvent.TrackPublished(e.track());
        } else if (event instanceof Room.TrackUnpublished e) {
            return new ClientEvent.TrackUnpublished(e.trackId());
        } else if (event instanceof Room.TrackMuted e) {
            return new ClientEvent.TrackMuted(e.trackId(), e.muted());
        }
        return null;
    }

    /**
     * The client event for a room event passed on as it comes (not numbered): a mesh signal, a
     * warning.
     *
     * @return null if {@code event} is not one
     */
    static ClientEvent notice(Room.Event event) {
        if (event instanceof Room.MeshSignalled signal) {
            return new ClientEvent.Custom("mesh-signal", Map.of("from", signal.from().value(),
                    "payload", readJson(signal.payload())));
        } else if (event instanceof Room.Warning warning) {
            return new ClientEvent.Custom("warning", Map.of("code", warning.code(), "message", warning.message()));
        }
        return null;
    }

    /** The room-state events telling the client what a rebuilt room lost: tracks first, then who left. */
    static List<ClientEvent> gone(ClientRoster.Gone gone) {
        List<ClientEvent> events = new ArrayList<>();
        gone.tracks().forEach(trackId -> events.add(new ClientEvent.TrackUnpublished(trackId)));
        gone.participants().forEach(p -> events.add(new ClientEvent.ParticipantLeft(p, LeaveReason.NODE_FAILED)));
        return events;
    }

    /** The operator ended the call: the participant itself is told it left. */
    static ClientEvent kicked(ParticipantId self) {
        return new ClientEvent.ParticipantLeft(self, LeaveReason.KICKED);
    }

    /** Dynacast (`publish-layers`): which of {@code track}'s simulcast encodings to keep sending. */
    static ClientEvent publishLayers(TrackInfo track, List<Boolean> active) {
        Map<String, Object> layers = new LinkedHashMap<>();
        for (int i = 0; i < track.layers().size() && i < active.size(); i++) {
            layers.put(track.layers().get(i), active.get(i));
        }
        return new ClientEvent.Custom("publish-layers", Map.of("trackId", track.trackId().value(),
                "layers", layers));
    }

    static ClientEvent activeSpeaker(String participantId, int level) {
        return new ClientEvent.Custom("active-speaker", Map.of("participantId", participantId, "level", level));
    }

    static ClientEvent layerChanged(TrackId trackId, String layerName) {
        return new ClientEvent.Custom("layer-changed", Map.of("trackId", trackId.value(), "layer", layerName));
    }

    /** A track the client cannot receive: its codec is refused or cannot be numbered. */
    static ClientEvent trackUnavailable(TrackId trackId) {
        return new ClientEvent.Custom("track-unavailable", Map.of("trackId", trackId.value(), "reason", "codec"));
    }

    static ClientEvent bitrateCap(int maxBitrateKbps) {
        return new ClientEvent.Custom("bitrate-cap", Map.of("maxBitrateKbps", maxBitrateKbps));
    }

    /** A connection lost ICE consent: the client should restart its ICE within the grace. */
    static ClientEvent iceRestart(String pc, long graceSeconds) {
        return new ClientEvent.Custom("ice-restart", Map.of("pc", pc, "reason", "consent-lost",
                "graceSeconds", graceSeconds));
    }

    /** The node is draining: the client should re-join through {@code signalUrl}. */
    static ClientEvent reconnect(String signalUrl, String reason) {
        return new ClientEvent.Custom("reconnect", Map.of("redirect", signalUrl, "reason", reason));
    }

    /** `joined` once the room took the participant. */
    static ClientEvent joined(Participant.Setup setup, Room.Accepted accepted) {
        ParticipantId id = setup.info().participantId();
        return new ClientEvent.Joined(setup.joinRequestId(), id, accepted.topology(), accepted.mode(),
                setup.info().node(), accepted.others(), accepted.tracks(),
                setup.settings().iceServers().forParticipant(id, accepted.iceServers()), setup.resumeToken().value());
    }

    /**
     * `joined` again on a resume: no roster (the replay brings what changed), the participant's
     * own published tracks.
     *
     * @param joinedAs how the room took the participant; null if it has not answered yet
     */
    static ClientEvent resumed(String requestId, Participant.Setup setup, Room.Accepted joinedAs,
                               List<TrackInfo> published) {
        ParticipantId id = setup.info().participantId();
        return new ClientEvent.Joined(requestId, id, joinedAs == null ? "sfu" : joinedAs.topology(),
                joinedAs == null ? setup.mode() : joinedAs.mode(), setup.info().node(), List.of(), published,
                setup.settings().iceServers().forParticipant(id, joinedAs == null ? List.of() : joinedAs.iceServers()),
                setup.resumeToken().value());
    }

    private static Object readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return text; // the node wrote it from parsed JSON, so this does not happen
        }
    }
}
