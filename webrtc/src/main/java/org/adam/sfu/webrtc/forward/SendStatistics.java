package org.adam.sfu.webrtc.forward;

import org.adam.sfu.webrtc.transport.MediaCounters;

/**
 * What one receiver was sent of one track: its packet and byte totals (read by the pipe's and the
 * subscriber's statistics), its rate between two readings (read by {@link DownlinkAllocator}), and
 * the node-wide counters each packet adds to. Owned by one {@link DownTrack}; media event loop
 * only; time is the caller's {@code nowNanos}.
 */
final class SendStatistics {

    /** A reading further apart than this from the last says nothing about the rate now. */
    private static final long MAX_RATE_INTERVAL_NANOS = 10_000_000_000L;

    private long packetsSent;
    private long bytesSent;
    private long rateMarkNanos;
    private long rateMarkBytes;

    /** A media packet of {@code length} bytes of layer {@code layer} (-1: none) left on {@code link}. */
    void mediaSent(int length, int layer, ReceiverLink link) {
        packetsSent++;
        bytesSent += length;
        MediaCounters counters = link.counters();
        counters.rtpForwarded.increment();
        counters.rtpForwardedBytes.add(length);
        if (layer >= 0) {
            counters.layerBytesOut[layer].add(length);
        }
        if (link.isPipe()) {
            counters.pipeBytesOut.add(length);
        }
    }

    /** A retransmission left on {@code link}: counted node-wide only, not as media sent. */
    void retransmissionSent(ReceiverLink link) {
        link.counters().retransmissions.increment();
    }

    /** Bits per second sent since the last call (0 on the first, or after a long silence of calls). */
    long takeRateBps(long nowNanos) {
        long elapsed = nowNanos - rateMarkNanos;
        long bytes = bytesSent - rateMarkBytes;
        rateMarkNanos = nowNanos;
        rateMarkBytes = bytesSent;
        return elapsed <= 0 || elapsed > MAX_RATE_INTERVAL_NANOS ? 0 : bytes * 8_000_000_000L / elapsed;
    }

    long packetsSent() {
        return packetsSent;
    }

    long bytesSent() {
        return bytesSent;
    }
}
