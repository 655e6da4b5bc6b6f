package org.adam.sfu.webrtc.forward;

import java.util.ArrayList;

import org.adam.sfu.webrtc.bwe.BandwidthEstimator;
import org.adam.sfu.webrtc.transport.MediaCounters;

/**
 * Shares one receiver's estimated downlink among the tracks it receives, and probes for more.
 *
 * <p>Every estimation window (500 ms): audio and single-layer video cost what they send; simulcast
 * tracks all start on their lowest layer, then move up one layer at a time, track by track, while
 * the estimate has room, never above the receiver's preference (`set-quality`). A layer's cost is
 * what its publisher sends now, or, while it is paused, what it sent last (nominal figures before
 * it was ever seen).
 *
 * <p>Going down is immediate (the estimator reacts within one window of an overuse). Going up
 * needs proof: when a track could take a higher layer, the allocator first sends padding on the
 * receiver's RTX stream for one second at the rate the upgrade would add; only if that passes
 * without overuse does the estimate grow enough to upgrade. Probes wait 4 s after an overuse and
 * back off (up to 32 s) while they keep failing: that is the hysteresis that stops a receiver
 * near a layer's bitrate from flapping. Media event loop only.
 */
public final class DownlinkAllocator {

    /** Cost of a layer never seen sending, from the top layer down (bits/s). */
    private static final long[] NOMINAL_FROM_TOP = {1_500_000, 500_000, 150_000};
    private static final long PROBE_NANOS = 1_000_000_000L;
    private static final long MIN_BACKOFF_NANOS = 4_000_000_000L;
    private static final long MAX_BACKOFF_NANOS = 32_000_000_000L;

    private final BandwidthEstimator estimator;
    private final MediaCounters counters;
    private final ArrayList<DownTrack> simulcast = new ArrayList<>();
    private int[] chosen = new int[4];
    private long probeStart = -1;
    private long probePaddingBps;
    private DownTrack probeCarrier;
    private long backoffNanos = MIN_BACKOFF_NANOS;
    private long nextProbeAt;
    private long sendingBps;

    public DownlinkAllocator(BandwidthEstimator estimator, MediaCounters counters) {
        this.estimator = estimator;
        this.counters = counters;
    }

    public BandwidthEstimator estimator() {
        return estimator;
    }

    /**
     * Called every {@code tickNanos} on the media loop with the receiver's outgoing tracks:
     * paces probe padding, and reallocates when an estimation window closes.
     */
    public void tick(Iterable<DownTrack> downTracks, long nowNanos, long tickNanos) {
        if (probeStart >= 0) {
            if (nowNanos - probeStart < PROBE_NANOS) {
                probeCarrier.sendPadding((int) (probePaddingBps * tickNanos / 8_000_000_000L));
            } else {
                endProbe(nowNanos);
            }
        }
        if (estimator.evaluate(nowNanos)) {
            allocate(downTracks, nowNanos);
        }
    }

    private void endProbe(long nowNanos) {
        boolean failed = estimator.lastOveruseNanos() >= probeStart;
        backoffNanos = failed ? Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2) : MIN_BACKOFF_NANOS;
        nextProbeAt = nowNanos + (failed ? backoffNanos : PROBE_NANOS);
        probeStart = -1;
        probeCarrier = null;
    }

    private void allocate(Iterable<DownTrack> downTracks, long nowNanos) {
        long budget = estimator.estimate();
        simulcast.clear();
        long sending = 0;
        for (DownTrack downTrack : downTracks) {
            long rate = downTrack.takeRateBps(nowNanos);
            sending += rate;
            if (downTrack.layers().size() > 1) {
                simulcast.add(downTrack);
            } else {
                budget -= rate;
            }
        }
        sendingBps = sending;
        if (simulcast.isEmpty()) {
            return;
        }
        if (chosen.length < simulcast.size()) {
            chosen = new int[simulcast.size() * 2];
        }
        for (int i = 0; i < simulcast.size(); i++) {
            chosen[i] = 0;
            budget -= cost(simulcast.get(i), 0, nowNanos);
        }
        long smallestMissing = Long.MAX_VALUE;
        DownTrack carrier = null;
        for (int level = 1; level < 3; level++) {
            for (int i = 0; i < simulcast.size(); i++) {
                DownTrack downTrack = simulcast.get(i);
                if (chosen[i] != level - 1 || downTrack.layerChoice().maxLayer() < level
                        || level >= downTrack.layers().size()) {
                    continue;
                }
                long extra = cost(downTrack, level, nowNanos) - cost(downTrack, level - 1, nowNanos);
                if (extra <= budget) {
                    chosen[i] = level;
                    budget -= extra;
                } else if (extra < smallestMissing) {
                    smallestMissing = extra;
                    carrier = downTrack;
                }
            }
        }
        for (int i = 0; i < simulcast.size(); i++) {
            LayerSelector choice = simulcast.get(i).layerChoice();
            int before = Math.min(choice.maxLayer(), choice.bandwidthLayer());
            choice.setBandwidthLayer(chosen[i], nowNanos);
            int after = Math.min(choice.maxLayer(), chosen[i]);
            if (after < before) {
                counters.bandwidthDownswitches.increment();
            } else if (after > before) {
                counters.bandwidthUpswitches.increment();
            }
        }
        if (carrier != null && probeStart < 0 && nowNanos >= nextProbeAt
                && nowNanos - estimator.lastOveruseNanos() >= backoffNanos) {
            // Pad up to the total the upgrade would need, with a margin, over what is sent now.
            long target = (estimator.estimate() - Math.max(0, budget) + smallestMissing) * 115 / 100;
            probeStart = nowNanos;
            probeCarrier = carrier;
            probePaddingBps = Math.max(target - sending, 50_000);
        }
    }

    private static long cost(DownTrack downTrack, int layer, long nowNanos) {
        long measured = downTrack.layers().get(layer).bitrateBps(nowNanos);
        if (measured > 0) {
            return measured;
        }
        int fromTop = Math.min(downTrack.layers().size() - 1 - layer, NOMINAL_FROM_TOP.length - 1);
        return NOMINAL_FROM_TOP[fromTop];
    }

    /** What the receiver was sent in the last window, bits/s. */
    public long sendingBps() {
        return sendingBps;
    }

    public boolean probing() {
        return probeStart >= 0;
    }
}
