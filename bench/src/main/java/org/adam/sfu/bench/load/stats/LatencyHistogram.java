package org.adam.sfu.bench.load.stats;

/**
 * Microsecond latencies in log-linear buckets: exact below 64 µs, then 32 buckets per power of
 * two (about 3% wide), up to hours. Small enough (about 1,200 longs) for one per receiver, and
 * recording is a shift and an increment. Not thread-safe: one per event loop's receiver.
 */
public final class LatencyHistogram {

    private static final int LINEAR = 64;
    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 40;
    private static final int BUCKETS = LINEAR + (MAX_EXPONENT - 5) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long maxMicros;

    public void record(long micros) {
        long value = Math.max(0, micros);
        counts[index(value)]++;
        total++;
        maxMicros = Math.max(maxMicros, value);
    }

    static int index(long value) {
        if (value < LINEAR) {
            return (int) value;
        }
        int exponent = Math.min(MAX_EXPONENT - 1, 63 - Long.numberOfLeadingZeros(value));
        int sub = (int) ((value >>> (exponent - SUB_BITS)) & (SUB - 1));
        return LINEAR + (exponent - 6) * SUB + sub;
    }

    /** The middle of bucket {@code index}'s range. */
    static double valueOf(int index) {
        if (index < LINEAR) {
            return index;
        }
        int exponent = (index - LINEAR) / SUB + 6;
        int sub = (index - LINEAR) % SUB;
        double width = Math.pow(2, exponent - SUB_BITS);
        return (SUB + sub) * width + width / 2;
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        maxMicros = Math.max(maxMicros, other.maxMicros);
    }

    public void clear() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        maxMicros = 0;
    }

    public LatencyHistogram copy() {
        LatencyHistogram copy = new LatencyHistogram();
        copy.add(this);
        return copy;
    }

    public long count() {
        return total;
    }

    /** The value at quantile {@code q} (0..1) in µs, -1 if nothing was recorded. */
    public double quantileMicros(double q) {
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return Math.min(valueOf(i), maxMicros);
            }
        }
        return maxMicros;
    }

    public long maxMicros() {
        return total == 0 ? -1 : maxMicros;
    }
}
