package org.adam.sfu.room.media;

import org.adam.sfu.room.TrackInfo;

/**
 * Reports the layers one receiver needs of a simulcast track: the one forwarded and the one aimed
 * at (a bit per layer; 0: none). The room pauses the publisher's other layers; for a track from
 * another node, the pipe also carries only the layers some receiver here needs. Used only on the
 * owning participant's actor thread.
 */
final class LayerDemandReport {

    private final SubscribeConnection.LayerDemand room;
    private final RemoteTrackHolds remote;
    private final String nodeId;

    LayerDemandReport(SubscribeConnection.LayerDemand room, RemoteTrackHolds remote, String nodeId) {
        this.room = room;
        this.remote = remote;
        this.nodeId = nodeId;
    }

    void report(TrackInfo track, boolean sending, int forwarding, int target) {
        if (track.layers().isEmpty()) {
            return;
        }
        int mask = sending ? (1 << forwarding) | (1 << target) : 0;
        room.demand(track.trackId(), mask);
        if (!track.node().equals(nodeId) && sending) {
            remote.demand(track, mask);
        }
    }
}
