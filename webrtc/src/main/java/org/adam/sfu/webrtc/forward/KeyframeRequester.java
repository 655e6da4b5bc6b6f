package org.adam.sfu.webrtc.forward;

import java.util.concurrent.TimeUnit;

/**
 * Coalesces keyframe requests for one published video stream: however many receivers send PLI
 * or FIR, the publisher gets at most one PLI per interval (JVB and mediasoup do the same, since
 * every keyframe costs the publisher's whole uplink for a moment). Media event loop only.
 */
final class KeyframeRequester {

    static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    private long lastRequestNanos;
    private boolean requestedBefore;

    /** @return true if a PLI should be sent now */
    boolean shouldRequest(long nowNanos) {
        if (requestedBefore && nowNanos - lastRequestNanos < MIN_INTERVAL_NANOS) {
            return false;
        }
        requestedBefore = true;
        lastRequestNanos = nowNanos;
        return true;
    }
}
