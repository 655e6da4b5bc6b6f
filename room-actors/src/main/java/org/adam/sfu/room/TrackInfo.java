package org.adam.sfu.room;

import java.util.List;

/**
 * A published track as the room's catalogue holds it. The first six fields are the protocol's
 * TrackInfo; {@code mid}, {@code node} and {@code codec} are what subscribers' nodes need to
 * forward it, and {@code audioLevelExtension} the publisher's id of the RFC 6464 audio level
 * header extension (0: none), which packets keep across pipes, so every node can tell who speaks.
 */
public record TrackInfo(TrackId trackId, ParticipantId participantId, String kind, String source,
                        List<String> layers, boolean muted, String mid, String node, CodecSpec codec,
                        int audioLevelExtension) {

    public TrackInfo {
        layers = List.copyOf(layers);
    }

    public TrackInfo withMuted(boolean nowMuted) {
        return new TrackInfo(trackId, participantId, kind, source, layers, nowMuted, mid, node, codec,
                audioLevelExtension);
    }

    public boolean isVideo() {
        return "video".equals(kind);
    }
}
