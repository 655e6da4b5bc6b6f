package org.adam.sfu.room;

import java.time.Duration;

import org.adam.sfu.room.ice.NodeIceServers;

/**
 * @param reconnectGrace how long a participant whose socket closed may `resume` before it is
 *                       removed with reason `disconnected` (protocol.md: default 10 s)
 * @param presenceInterval how often a participant reports itself to its room, which rebuilds
 *                         from these reports after its node failed
 * @param negotiationTimeout a participant of an sfu call with neither peer connection established
 *                         this long after it was admitted is removed (reason `timeout`): a join
 *                         without an offer would otherwise hold a room place and a transport forever
 *                         (protocol.md: default 30 s)
 * @param iceServers       the node's own STUN/TURN servers, handed to its clients in `joined`
 *                         together with the neighbourhood's
 */
public record ParticipantSettings(Duration reconnectGrace, Duration presenceInterval, Duration negotiationTimeout,
                                  NodeIceServers iceServers) {

    /** Settings of a node that adds no ICE servers of its own. */
    public ParticipantSettings(Duration reconnectGrace, Duration presenceInterval, Duration negotiationTimeout) {
        this(reconnectGrace, presenceInterval, negotiationTimeout, NodeIceServers.none());
    }
}
