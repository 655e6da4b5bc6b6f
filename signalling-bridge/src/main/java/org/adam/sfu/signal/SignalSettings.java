package org.adam.sfu.signal;

import java.time.Duration;

/**
 * @param maxFrameBytes     a text frame above this is refused with `too-large` (protocol: 256 KiB)
 * @param pingInterval      the node pings an idle socket this often (protocol: 15 s)
 * @param silenceTimeout    a socket silent this long is closed (protocol: 45 s)
 */
public record SignalSettings(String nodeId, int maxFrameBytes, Duration pingInterval, Duration silenceTimeout,
                             Duration askTimeout) {

    public static final int PROTOCOL_MAX_FRAME_BYTES = 262_144;

    public static SignalSettings defaults(String nodeId) {
        return new SignalSettings(nodeId, PROTOCOL_MAX_FRAME_BYTES, Duration.ofSeconds(15),
                Duration.ofSeconds(45), Duration.ofSeconds(5));
    }
}
