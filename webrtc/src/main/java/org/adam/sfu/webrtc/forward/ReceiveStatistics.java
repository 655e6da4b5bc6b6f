package org.adam.sfu.webrtc.forward;

/**
 * RFC 3550 section 6.4.1 / appendix A.3 and A.8 figures for one received stream, kept in
 * primitive fields (updated per packet without allocation), for the receiver reports the node
 * sends its publishers. Media event loop only.
 */
public final class ReceiveStatistics {

    private final int clockRate;
    private boolean started;
    private int baseSeq;
    private int maxSeq;
    private int cycles;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long lastTransit;
    private double jitter;
    private long lastSrNtpMiddle;
    private long lastSrArrivalNanos;

    public ReceiveStatistics(int clockRate) {
        this.clockRate = clockRate;
    }

    public void onPacket(int seq, long rtpTimestamp, long arrivalNanos) {
        if (!started) {
            started = true;
            baseSeq = seq;
            maxSeq = seq;
        } else {
            int delta = (seq - maxSeq) & 0xFFFF;
            if (delta != 0 && delta < 0x8000) {
                if (seq < maxSeq) {
                    cycles += 1 << 16;
                }
                maxSeq = seq;
            }
        }
        received++;
        long arrival = arrivalNanos / 1_000_000L * clockRate / 1000L;
        long transit = arrival - (rtpTimestamp & 0xFFFFFFFFL);
        if (received > 1) {
            long d = Math.abs(transit - lastTransit);
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
    }

    public void onSenderReport(long ntpMiddle32, long arrivalNanos) {
        lastSrNtpMiddle = ntpMiddle32;
        lastSrArrivalNanos = arrivalNanos;
    }

    public boolean hasPackets() {
        return started;
    }

    public long extendedHighestSequence() {
        return (cycles + maxSeq) & 0xFFFFFFFFL;
    }

    public long cumulativeLost() {
        long expected = extendedHighestSequence() - baseSeq + 1;
        long lost = expected - received;
        return Math.max(-0x800000, Math.min(0x7FFFFF, lost));
    }

    /** Fraction lost since the previous call, in 1/256 units; advances the interval. */
    public int takeFractionLost() {
        long expected = extendedHighestSequence() - baseSeq + 1;
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }

    public long jitter() {
        return (long) jitter;
    }

    public long lastSrNtpMiddle() {
        return lastSrNtpMiddle;
    }

    /** Delay since the last SR in 1/65536 s, as RFC 3550 6.4.1 DLSR; 0 if none. */
    public long delaySinceLastSr(long nowNanos) {
        if (lastSrArrivalNanos == 0) {
            return 0;
        }
        return (nowNanos - lastSrArrivalNanos) * 65536L / 1_000_000_000L;
    }

    public long packetsReceived() {
        return received;
    }
}
