package org.adam.sfu.webrtc.forward;

import org.adam.sfu.webrtc.transport.MediaCounters;

/**
 * What a publisher sends on one stream: packet and byte totals, the node-wide counters each
 * packet adds to, and the rate, bits/s, measured over about a second; while the stream sends
 * nothing (a paused layer) the rate is the last it had, so a layer's cost does not vanish while
 * it is paused. Owned by one {@link TrackForwarder}; media event loop only; time is the caller's
 * {@code nowNanos}.
 */
final class IngressMeter {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private long packets;
    private long bytes;
    private long markNanos;
    private long markBytes;
    private long lastBitrate = -1;

    /**
     * A packet of {@code length} bytes arrived on {@code publisher} (null: counted here only).
     *
     * @param layerIndex which simulcast layer the stream is (-1: single-layer), for per-layer counters
     */
    void onPacket(int length, int layerIndex, PublisherLink publisher) {
        packets++;
        bytes += length;
        if (publisher == null) {
            return;
        }
        MediaCounters counters = publisher.counters();
        counters.rtpReceived.increment();
        counters.rtpReceivedBytes.add(length);
        if (publisher.isPipe()) {
            counters.pipeBytesIn.add(length);
        }
        if (layerIndex >= 0) {
            counters.layerBytesIn[layerIndex].add(length);
        }
    }

    /** @return the rate over the last interval, the last non-zero rate, or -1 if it never sent */
    long bitrateBps(long nowNanos) {
        long elapsed = nowNanos - markNanos;
        if (elapsed >= INTERVAL_NANOS) {
            long rate = markNanos == 0 ? 0 : (bytes - markBytes) * 8_000_000_000L / elapsed;
            markNanos = nowNanos;
            markBytes = bytes;
            if (rate > 0) {
                lastBitrate = rate;
            }
        }
        return lastBitrate;
    }

    long packets() {
        return packets;
    }

    long bytes() {
        return bytes;
    }
}
