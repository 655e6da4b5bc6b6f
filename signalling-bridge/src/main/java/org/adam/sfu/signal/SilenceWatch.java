package org.adam.sfu.signal;

import java.time.Duration;

/**
 * The protocol's keep-alive (docs/protocol.md): the node pings a socket it has not heard from for
 * a ping interval and closes it once it has been silent for the silence timeout. Driven by
 * reader-idle events that come once per ping interval while the client stays silent; what the
 * node itself sends does not count, so a client that only listens to a busy room is still pinged.
 */
final class SilenceWatch {

    enum Action { PING, CLOSE }

    private final long intervalsAllowed;
    private long silentIntervals;

    SilenceWatch(Duration pingInterval, Duration silenceTimeout) {
        this.intervalsAllowed = Math.max(1, silenceTimeout.toMillis() / Math.max(1, pingInterval.toMillis()));
    }

    /** One more ping interval without a frame; {@code first} after something was heard since the last. */
    Action onSilentInterval(boolean first) {
        silentIntervals = first ? 1 : silentIntervals + 1;
        return silentIntervals >= intervalsAllowed ? Action.CLOSE : Action.PING;
    }
}
