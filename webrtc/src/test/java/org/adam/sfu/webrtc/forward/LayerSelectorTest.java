package org.adam.sfu.webrtc.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.adam.sfu.webrtc.forward.LayerSelector.Admission;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.junit.jupiter.api.Test;

/**
 * One receiver's layer choice in simulated time: starts and switches only on keyframes, the
 * target is the lower of preference and bandwidth, and nothing starts while the receiver's
 * connection is down. Without a publisher transport the layers only count keyframe requests.
 */
class LayerSelectorTest {

    private static final long MS = 1_000_000L;

    private final TrackForwarder low = new TrackForwarder("t", true, VideoCodec.VP8, 90000, null, 100);
    private final TrackForwarder mid = new TrackForwarder("t", true, VideoCodec.VP8, 90000, null, 200);
    private final TrackForwarder high = new TrackForwarder("t", true, VideoCodec.VP8, 90000, null, 300);
    private final List<Integer> targets = new ArrayList<>();
    private boolean connectionUp = true;
    private final LayerSelector selector =
            new LayerSelector(List.of(low, mid, high), 0, () -> connectionUp, targets::add);

    @Test
    void aVideoReceiverStartsOnAKeyframe() {
        assertThat(selector.awaitingKeyframe()).isTrue();
        assertThat(selector.admit(low, false, 0)).isEqualTo(Admission.DROP);
        assertThat(low.keyframeRequestsSent()).as("asks for one").isEqualTo(1);
        assertThat(selector.admit(low, true, 10 * MS)).isEqualTo(Admission.START);
        assertThat(selector.awaitingKeyframe()).isFalse();
        assertThat(selector.admit(low, false, 20 * MS)).isEqualTo(Admission.FORWARD);
    }

    @Test
    void aSwitchHappensOnlyOnTheTargetLayersKeyframe() {
        selector.admit(low, true, 0);
        selector.setMaxLayer(2, 0);
        assertThat(selector.targetLayer()).isEqualTo(2);
        assertThat(targets).containsExactly(2);
        assertThat(high.keyframeRequestsSent()).as("asked the target layer").isEqualTo(1);

        assertThat(selector.admit(high, false, 10 * MS)).as("a delta of the new layer").isEqualTo(Admission.DROP);
        assertThat(selector.admit(mid, true, 10 * MS)).as("not the target").isEqualTo(Admission.DROP);
        assertThat(selector.admit(low, false, 10 * MS)).as("the old layer meanwhile").isEqualTo(Admission.FORWARD);
        assertThat(selector.current()).isSameAs(low);

        assertThat(selector.admit(high, true, 20 * MS)).isEqualTo(Admission.SWITCH);
        assertThat(selector.current()).isSameAs(high);
        assertThat(selector.currentIndex()).isEqualTo(2);
        assertThat(selector.admit(low, true, 30 * MS)).as("the old layer, even a keyframe").isEqualTo(Admission.DROP);
        assertThat(selector.admit(high, false, 30 * MS)).isEqualTo(Admission.FORWARD);
    }

    @Test
    void theTargetIsTheLowerOfPreferenceAndBandwidth() {
        selector.setMaxLayer(2, 0);
        selector.setBandwidthLayer(1, 0);
        assertThat(selector.targetLayer()).isEqualTo(1);
        selector.setBandwidthLayer(2, 0);
        assertThat(selector.targetLayer()).isEqualTo(2);
        selector.setMaxLayer(0, 0);
        assertThat(selector.targetLayer()).isZero();
        selector.setMaxLayer(7, 0);
        assertThat(selector.maxLayer()).as("clamped to the layers there are").isEqualTo(2);
        assertThat(targets).containsExactly(2, 1, 2, 0, 2);
    }

    @Test
    void aWaitedForSwitchAsksAgainAfterTheRetryInterval() {
        selector.admit(low, true, 0);
        selector.setMaxLayer(1, 0);
        selector.admit(mid, false, 500 * MS);
        assertThat(mid.keyframeRequestsSent()).isEqualTo(1);
        selector.admit(mid, false, 1000 * MS);
        assertThat(mid.keyframeRequestsSent()).as("the keyframe may have been lost").isEqualTo(2);
    }

    @Test
    void nothingStartsOrIsAskedForWhileTheConnectionIsDown() {
        connectionUp = false;
        assertThat(selector.admit(low, true, 0)).isEqualTo(Admission.DROP);
        assertThat(low.keyframeRequestsSent()).isZero();
        connectionUp = true;
        assertThat(selector.admit(low, false, 10 * MS)).isEqualTo(Admission.DROP);
        assertThat(low.keyframeRequestsSent()).isEqualTo(1);
        assertThat(selector.admit(low, true, 20 * MS)).isEqualTo(Admission.START);
    }

    @Test
    void pausedUntilTheSsrcIsNegotiatedThenResumesOnAKeyframe() {
        selector.setNegotiated(false);
        assertThat(selector.admit(low, true, 0)).isEqualTo(Admission.DROP);
        selector.setNegotiated(true);
        assertThat(selector.admit(low, true, 10 * MS)).isEqualTo(Admission.START);
        selector.awaitKeyframe(); // the receiver's connection came back
        assertThat(selector.admit(low, false, 20 * MS)).isEqualTo(Admission.DROP);
        assertThat(selector.admit(low, true, 30 * MS)).isEqualTo(Admission.START);
    }

    @Test
    void audioNeedsNoKeyframe() {
        TrackForwarder audio = new TrackForwarder("a", false, null, 48000, null, 7);
        LayerSelector audioSelector = new LayerSelector(List.of(audio), 0, () -> true, t -> { });
        assertThat(audioSelector.awaitingKeyframe()).isFalse();
        assertThat(audioSelector.admit(audio, true, 0)).isEqualTo(Admission.FORWARD);
        audioSelector.awaitKeyframe();
        assertThat(audioSelector.awaitingKeyframe()).isFalse();
    }
}
