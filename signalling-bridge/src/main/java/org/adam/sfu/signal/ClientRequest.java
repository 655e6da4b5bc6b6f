package org.adam.sfu.signal;

import java.util.List;
import java.util.Map;

/** A client frame after validation: every field the protocol requires is present and typed. */
public sealed interface ClientRequest {

    String id();

    record Join(String id, String neighbourhood, String room, String did, String name, String proof,
                boolean autoSubscribe) implements ClientRequest {
    }

    /** {@code resumeToken}: what `joined` gave the participant; required under open auth. */
    /** {@code lastSeq}: the last room-state event ({@code seq}) the client got, if it says. */
    record Resume(String id, String participantId, String proof, String resumeToken, Integer lastSeq)
            implements ClientRequest {
    }

    record Offer(String id, String pc, String sdp, Map<String, String> sources) implements ClientRequest {
    }

    record Answer(String id, String pc, String sdp) implements ClientRequest {
    }

    record Candidate(String id, String pc, String candidate, String sdpMid, Integer sdpMLineIndex)
            implements ClientRequest {
    }

    record Subscribe(String id, List<String> tracks, boolean subscribe) implements ClientRequest {
    }

    record SetQuality(String id, String quality, String track) implements ClientRequest {
    }

    record Mute(String id, String track, boolean muted) implements ClientRequest {
    }

    record MeshSignal(String id, String to, Object payload) implements ClientRequest {
    }

    record Ping(String id) implements ClientRequest {
    }

    /** Restart ICE on one peer connection (docs/protocol.md, `restart-ice`). */
    record RestartIce(String id, String pc) implements ClientRequest {
    }

    record Leave(String id) implements ClientRequest {
    }
}
