package org.adam.sfu.webrtc.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.adam.sfu.webrtc.bwe.BandwidthEstimator;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.adam.sfu.webrtc.transport.MediaCounters;
import org.junit.jupiter.api.Test;

/**
 * One receiver's estimate shared among its simulcast tracks, in simulated time. The layers never
 * sent anything, so each costs its nominal figure: 150 kbit/s, 500 kbit/s, 1.5 Mbit/s.
 */
class DownlinkAllocatorTest {

    private static final long MS = 1_000_000L;
    private static final long TICK = 20 * MS;
    private static final long[] NOMINAL = {150_000, 500_000, 1_500_000};

    private final MediaCounters counters = new MediaCounters();
    private final List<DownTrack> downTracks = new ArrayList<>();
    private BandwidthEstimator estimator;
    private DownlinkAllocator allocator;
    private long now;

    private DownTrack simulcastTrack() {
        List<TrackForwarder> layers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            layers.add(new TrackForwarder("t" + downTracks.size(), true, VideoCodec.VP8, 90000, null, 100 + i));
        }
        DownTrack downTrack = new DownTrack(layers, 2, null, 1000 + downTracks.size(), -1, (d, l) -> { });
        downTracks.add(downTrack);
        return downTrack;
    }

    /** Runs the allocator with {@code estimateBps} until an estimation window closes. */
    private void allocateWithin(long estimateBps) {
        if (allocator == null) {
            estimator = new BandwidthEstimator(estimateBps, 10_000, 50_000_000);
            allocator = new DownlinkAllocator(estimator, counters);
            allocator.tick(downTracks, now, TICK);
        } else {
            estimator.onRemb(estimateBps);
        }
        now += 500 * MS;
        allocator.tick(downTracks, now, TICK);
    }

    private static int target(DownTrack downTrack) {
        return downTrack.layerChoice().targetLayer();
    }

    private long cost() {
        return downTracks.stream().mapToLong(d -> NOMINAL[target(d)]).sum();
    }

    @Test
    void plentyOfBandwidthGetsTheTopLayer() {
        DownTrack downTrack = simulcastTrack();
        allocateWithin(5_000_000);
        assertThat(target(downTrack)).isEqualTo(2);
    }

    @Test
    void aReceiverShortOfBandwidthGetsALowerLayer() {
        DownTrack downTrack = simulcastTrack();
        allocateWithin(600_000);
        assertThat(target(downTrack)).isEqualTo(1);
        allocateWithin(200_000);
        assertThat(target(downTrack)).isZero();
        assertThat(counters.bandwidthDownswitches.sum()).isEqualTo(2);
    }

    @Test
    void theSplitStaysWithinTheEstimate() {
        DownTrack first = simulcastTrack();
        DownTrack second = simulcastTrack();
        allocateWithin(900_000);
        assertThat(List.of(target(first), target(second))).containsExactly(1, 0);
        assertThat(cost()).isLessThanOrEqualTo(900_000);
        allocateWithin(1_200_000);
        assertThat(List.of(target(first), target(second))).containsExactly(1, 1);
        assertThat(cost()).isLessThanOrEqualTo(1_200_000);
    }

    @Test
    void neverAboveTheReceiversPreference() {
        DownTrack downTrack = simulcastTrack();
        downTrack.setMaxLayer(1, 0);
        allocateWithin(5_000_000);
        assertThat(target(downTrack)).isEqualTo(1);
    }

    @Test
    void probesWhenTheNextLayerDoesNotFitAndNotWhenEverythingDoes() {
        simulcastTrack();
        allocateWithin(5_000_000);
        assertThat(allocator.probing()).isFalse();
        allocateWithin(600_000);
        assertThat(allocator.probing()).isTrue();
    }
}
