package org.adam.sfu.pipe;

import java.util.List;

import org.adam.sfu.room.CborSerializable;

/**
 * One pipe as an operator sees it, with counters per track and direction.
 *
 * @param role "offerer" (controlling ICE, DTLS client) or "answerer"
 */
public record PipeStats(String room, String localNode, String remoteNode, String role, boolean connected,
                        List<TrackCounters> tracks) implements CborSerializable {

    /**
     * @param direction "out" (this node sends it to the remote node) or "in"
     * @param originNode the node where the track was published
     */
    public record TrackCounters(String trackId, String direction, String originNode, long packets, long bytes)
            implements CborSerializable {
    }
}
