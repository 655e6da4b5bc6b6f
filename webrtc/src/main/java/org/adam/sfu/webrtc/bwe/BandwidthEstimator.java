package org.adam.sfu.webrtc.bwe;

/**
 * Estimates how many bits per second one receiver's downlink takes, from its transport-cc
 * feedback on the packets the node sent it (or from its REMB when it gives no transport-cc).
 *
 * <p>The method is a plain loss- and delay-based one, evaluated over 500 ms windows:
 * <ul>
 *   <li>Each sent packet's transport-wide sequence number, size and send time are kept; each
 *       feedback report tells which arrived and when (on the receiver's clock).</li>
 *   <li>One-way delay is arrival minus send time; its minimum over the last ten windows is the
 *       empty-queue baseline (the clocks' offset cancels out), and the window's mean above that is
 *       the queueing delay.</li>
 *   <li>Overuse: more than 10 % lost, or a queue over 100 ms that grew since the last window, or
 *       any queue over 250 ms. The estimate then falls to 85 % of the rate that got through, at
 *       once: a full queue means the link is carrying exactly that rate.</li>
 *   <li>Otherwise, with under 5 % loss and under 40 ms of queue, the estimate rises to 108 % of
 *       the rate that got through when that is higher: it only grows with traffic actually
 *       delivered (media or probe padding), never by assumption while the sender is idle.</li>
 * </ul>
 * Media event loop only; nothing here allocates after construction.
 */
public final class BandwidthEstimator {

    static final long WINDOW_NANOS = 500_000_000L;
    private static final int HISTORY = 8192;
    private static final int HISTORY_MASK = HISTORY - 1;
    private static final int BASELINE_WINDOWS = 10;
    private static final double OVERUSE_LOSS = 0.10;
    private static final double NORMAL_LOSS = 0.05;
    private static final long OVERUSE_QUEUE_MICROS = 100_000;
    private static final long SEVERE_QUEUE_MICROS = 250_000;
    private static final long NORMAL_QUEUE_MICROS = 40_000;

    private final long minBps;
    private final long maxBps;
    private long estimate;

    private final int[] sentSeq = new int[HISTORY];
    private final long[] sentMicros = new long[HISTORY];
    private final int[] sentBytes = new int[HISTORY];

    // The window being accumulated.
    private long windowStart = -1;
    private int received;
    private int lost;
    private long receivedBytes;
    private long firstArrival = Long.MAX_VALUE;
    private long lastArrival = Long.MIN_VALUE;
    private long delaySum;
    private long windowMinDelay = Long.MAX_VALUE;

    private final long[] minDelays = new long[BASELINE_WINDOWS];
    private int minDelayNext;
    private long previousQueue = -1;
    private long lastOveruseNanos = Long.MIN_VALUE / 2;
    private long ackedBps;
    private long lastQueueMicros;
    private double lastLoss;

    public BandwidthEstimator(long initialBps, long minBps, long maxBps) {
        this.estimate = initialBps;
        this.minBps = minBps;
        this.maxBps = maxBps;
        java.util.Arrays.fill(minDelays, Long.MAX_VALUE);
        java.util.Arrays.fill(sentSeq, -1);
    }

    /** A packet with transport-wide sequence {@code seq} of {@code bytes} left for the receiver. */
    public void onSent(int seq, int bytes, long nowNanos) {
        int slot = seq & HISTORY_MASK;
        sentSeq[slot] = seq;
        sentMicros[slot] = nowNanos / 1000;
        sentBytes[slot] = bytes;
    }

    /** One packet's fate from a transport-cc report; arrival in the receiver's microseconds. */
    public void onPacketResult(int seq, boolean arrived, long arrivalMicros) {
        int slot = seq & HISTORY_MASK;
        if (sentSeq[slot] != seq) {
            return; // too old, or not ours
        }
        sentSeq[slot] = -1; // reported once; a repeated report must not count twice
        if (!arrived) {
            lost++;
            return;
        }
        received++;
        receivedBytes += sentBytes[slot];
        firstArrival = Math.min(firstArrival, arrivalMicros);
        lastArrival = Math.max(lastArrival, arrivalMicros);
        long delay = arrivalMicros - sentMicros[slot];
        delaySum += delay;
        windowMinDelay = Math.min(windowMinDelay, delay);
    }

    /** The receiver's REMB: its own estimate, taken as is when there is no transport-cc. */
    public void onRemb(long bps) {
        estimate = clamp(bps);
    }

    /** Closes the window when it is due; true if it did (the estimate may have changed). */
    public boolean evaluate(long nowNanos) {
        if (windowStart < 0) {
            windowStart = nowNanos;
            return false;
        }
        if (nowNanos - windowStart < WINDOW_NANOS) {
            return false;
        }
        if (received + lost > 0) {
            closeWindow(nowNanos);
        }
        windowStart = nowNanos;
        return true;
    }

    private void closeWindow(long nowNanos) {
        double loss = (double) lost / (received + lost);
        long span = lastArrival - firstArrival;
        // A handful of packets span little time: measure over the window at least.
        long spanMicros = Math.max(span, WINDOW_NANOS / 2000);
        long acked = received > 1 ? receivedBytes * 8_000_000L / spanMicros : 0;
        long queue = 0;
        if (received > 0) {
            minDelays[minDelayNext] = windowMinDelay;
            minDelayNext = (minDelayNext + 1) % BASELINE_WINDOWS;
            long baseline = Long.MAX_VALUE;
            for (long d : minDelays) {
                baseline = Math.min(baseline, d);
            }
            queue = delaySum / received - baseline;
        }
        boolean growing = previousQueue >= 0 && queue > previousQueue;
        if (loss > OVERUSE_LOSS || (queue > OVERUSE_QUEUE_MICROS && growing) || queue > SEVERE_QUEUE_MICROS) {
            estimate = clamp(Math.min(estimate, acked * 85 / 100));
            lastOveruseNanos = nowNanos;
        } else if (loss < NORMAL_LOSS && queue < NORMAL_QUEUE_MICROS) {
            estimate = clamp(Math.max(estimate, acked * 108 / 100));
        }
        previousQueue = queue;
        ackedBps = acked;
        lastQueueMicros = queue;
        lastLoss = loss;
        received = 0;
        lost = 0;
        receivedBytes = 0;
        firstArrival = Long.MAX_VALUE;
        lastArrival = Long.MIN_VALUE;
        delaySum = 0;
        windowMinDelay = Long.MAX_VALUE;
    }

    private long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }

    public long estimate() {
        return estimate;
    }

    /** When the last overuse was seen (System.nanoTime clock). */
    public long lastOveruseNanos() {
        return lastOveruseNanos;
    }

    /** The rate that got through in the last window, bits/s. */
    public long ackedBps() {
        return ackedBps;
    }

    public long queueDelayMicros() {
        return lastQueueMicros;
    }

    public double lossFraction() {
        return lastLoss;
    }
}
