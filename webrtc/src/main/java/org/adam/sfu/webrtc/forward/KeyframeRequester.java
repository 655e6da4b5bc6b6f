package org.adam.sfu.webrtc.forward;

import java.util.concurrent.TimeUnit;

/**
 * Coalesces keyframe requests for one published video stream: however many receivers send PLI
 * or FIR or wait for a keyframe, the publisher gets at most one request per interval (Jitsi
 * Videobridge and mediasoup do the same, since every keyframe costs the publisher's whole uplink
 * for a moment). A request that falls inside the interval is deferred to its end, never dropped:
 * the receiver that asked may be one whose connection came up just after another's request, and
 * nothing else would ask again for it. Pure logic on the time it is given; media event loop only.
 */
final class KeyframeRequester {

    static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    private long lastSentNanos;
    private boolean sentBefore;
    private boolean deferred;

    /**
     * Someone needs a keyframe at {@code nowNanos}.
     *
     * @return true if a request should be sent now; otherwise one is owed at the interval's end
     *         ({@link #dueAt}, {@link #takeDue})
     */
    boolean request(long nowNanos) {
        if (sentBefore && nowNanos - lastSentNanos < MIN_INTERVAL_NANOS) {
            deferred = true;
            return false;
        }
        markSent(nowNanos);
        return true;
    }

    /** @return true (once) if a deferred request is due at {@code nowNanos}: send it now */
    boolean takeDue(long nowNanos) {
        if (!deferred || nowNanos - lastSentNanos < MIN_INTERVAL_NANOS) {
            return false;
        }
        markSent(nowNanos);
        return true;
    }

    /** Whether a deferred request is waiting for the interval's end. */
    boolean hasDeferred() {
        return deferred;
    }

    private void markSent(long nowNanos) {
        sentBefore = true;
        deferred = false;
        lastSentNanos = nowNanos;
    }
}
