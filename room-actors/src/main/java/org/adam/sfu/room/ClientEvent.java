package org.adam.sfu.room;

import java.util.List;
import java.util.Map;

import org.adam.sfu.room.policy.SfuConfig;

/**
 * What a participant's node tells its client, independent of the wire format. The signalling
 * bridge encodes each of these as the protocol's JSON frame of the same name.
 */
public sealed interface ClientEvent {

    /**
     * {@code iceServers}: the STUN/TURN servers for both the node's and mesh connections: the
     * node's own (TURN credentials issued for this participant), then the neighbourhood's (its `sfu` block);
     * {@code resumeToken}: what a `resume` of this participant must present (null: none given).
     */
    record Joined(String requestId, ParticipantId participantId, String topology, String mode, String node,
                  List<ParticipantInfo> participants, List<TrackInfo> tracks,
                  List<SfuConfig.IceServer> iceServers, String resumeToken) implements ClientEvent {
    }

    record Error(String requestId, String code, String message, String redirect) implements ClientEvent {
        public Error(String requestId, String code, String message) {
            this(requestId, code, message, null);
        }
    }

    record Answer(String requestId, String pc, String sdp) implements ClientEvent {
    }

    record Offer(String pc, String sdp) implements ClientEvent {
    }

    record Candidate(String pc, String candidate, String sdpMid, int sdpMLineIndex) implements ClientEvent {
    }

    record ParticipantJoined(ParticipantInfo participant) implements ClientEvent {
    }

    record ParticipantLeft(ParticipantId participantId, LeaveReason reason) implements ClientEvent {
    }

    record TrackPublished(TrackInfo track) implements ClientEvent {
    }

    record TrackUnpublished(TrackId trackId) implements ClientEvent {
    }

    record TrackMuted(TrackId trackId, boolean muted) implements ClientEvent {
    }

    record Pong(String requestId) implements ClientEvent {
    }

    /** Extension point for frames the node adds later (active speaker, layers...). */
    record Custom(String type, Map<String, Object> fields) implements ClientEvent {
    }

    /**
     * A room-state event with its number in this participant's stream ({@code seq} on the wire), so
     * a client that resumes can say the last one it got and be sent the rest.
     */
    record Sequenced(long seq, ClientEvent event) implements ClientEvent {
    }
}
