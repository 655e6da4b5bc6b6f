package org.adam.sfu.room;

import java.time.Duration;

/**
 * @param reconnectGrace how long a participant whose socket closed may `resume` before it is
 *                       removed with reason `disconnected` (protocol.md: default 10 s)
 */
public record ParticipantSettings(Duration reconnectGrace) {

    public static ParticipantSettings defaults() {
        return new ParticipantSettings(Duration.ofSeconds(10));
    }
}
