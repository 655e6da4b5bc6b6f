package org.adam.sfu.bench.load.stats;

/**
 * What a receiver knows about one incoming SSRC: the extended highest sequence number and
 * packets received since the window started (so loss counts only that window, RFC 3550 A.3),
 * and the interarrival jitter estimate (RFC 3550 6.4.1, A.8) in timestamp units.
 */
final class StreamReception {

    private final int clockRate;
    private long highest = -1;
    private long windowBase = -1;
    private long received;
    private boolean hasTransit;
    private double lastTransit;
    private double jitter;

    StreamReception(int clockRate) {
        this.clockRate = clockRate;
    }

    void onPacket(int sequence, long rtpTimestamp, long receivedNanos) {
        if (highest < 0) {
            highest = sequence;
            windowBase = highest - 1;
        } else {
            long candidate = extend(sequence);
            if (candidate > highest) {
                highest = candidate;
            }
        }
        received++;
        double arrival = receivedNanos * (clockRate / 1e9);
        double transit = arrival - rtpTimestamp;
        if (hasTransit) {
            double d = Math.abs(transit - lastTransit);
            // Timestamps wrap at 2^32: a jump that large is a wrap (or a switch), not jitter.
            if (d < (1L << 31)) {
                jitter += (d - jitter) / 16;
            }
        }
        lastTransit = transit;
        hasTransit = true;
    }

    /** The 16-bit sequence number as the extended number closest to the highest seen. */
    private long extend(int sequence) {
        long cycle = highest & ~0xFFFFL;
        long candidate = cycle | sequence;
        if (candidate - highest > 0x8000) {
            candidate -= 0x10000;
        } else if (highest - candidate > 0x8000) {
            candidate += 0x10000;
        }
        return candidate;
    }

    void startWindow() {
        windowBase = highest;
        received = 0;
    }

    long received() {
        return received;
    }

    /** Packets expected in the window from the sequence numbers, 0 before the first packet. */
    long expected() {
        return highest < 0 ? 0 : Math.max(0, highest - windowBase);
    }

    double jitterMillis() {
        return jitter * 1000.0 / clockRate;
    }
}
