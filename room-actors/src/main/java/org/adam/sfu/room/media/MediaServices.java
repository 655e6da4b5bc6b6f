package org.adam.sfu.room.media;

import org.adam.sfu.room.RoomKey;
import org.adam.sfu.webrtc.transport.MediaCounters;
import org.adam.sfu.webrtc.transport.MediaServer;
import org.adam.sfu.webrtc.transport.MediaWorkers;

/**
 * The node's data plane as participants see it: the media workers, and the broker that pipes in
 * tracks published on other nodes.
 */
public record MediaServices(MediaWorkers workers, String nodeId, RemoteTrackBroker remoteTracks) {

    /** The worker that carries this room's media on this node (decision 0017). */
    public MediaServer server(RoomKey room) {
        return workers.forRoom(room.toString());
    }

    public MediaCounters counters() {
        return workers.counters();
    }
}
