package org.adam.sfu.room;

import java.time.Duration;

/**
 * @param reconnectGrace how long a participant whose socket closed may `resume` before it is
 *                       removed with reason `disconnected` (protocol.md: default 10 s)
 * @param presenceInterval how often a participant reports itself to its room, which rebuilds
 *                         from these reports after its node failed
 */
public record ParticipantSettings(Duration reconnectGrace, Duration presenceInterval) {
}
