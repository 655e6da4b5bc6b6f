package org.adam.sfu.webrtc.forward;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Which layer of a track one receiver is forwarded, and when forwarding may start: the layer it
 * aims at (the lower of its preference, {@link #setMaxLayer}, and what its bandwidth allows,
 * {@link #setBandwidthLayer}), the layer it gets now, and whether it waits for a keyframe.
 *
 * <p>A switch to the target layer happens on that layer's keyframe, never on a delta frame (a
 * receiver cannot decode a delta of a layer it has no keyframe for); until then the current layer
 * goes on. A video receiver also starts, and restarts ({@link #awaitKeyframe}), on a keyframe,
 * asking the publisher for one until it comes (at most every {@value #KEYFRAME_RETRY_MILLIS} ms;
 * the stream coalesces everyone's requests), and only once what is sent can reach it: its peer
 * knows the SSRC ({@link #setNegotiated}) and its connection is up, so the keyframe it asked for
 * is not dropped on the way. mediasoup's consumers (`syncRequired`) and Jitsi Videobridge do the
 * same; clients that never ask for keyframes themselves (recorders, aiortc, GStreamer) depend on
 * it, where Chromium would hide its absence by sending PLIs.
 *
 * <p>Owned by one {@link DownTrack}; media event loop only. Time is the caller's {@code nowNanos}.
 */
final class LayerSelector {

    /** What to do with a packet offered by a layer. */
    enum Admission {
        /** Not this receiver's: another layer, or held back until a keyframe. */
        DROP,
        /** A keyframe of the target layer: the receiver switches to it here. */
        SWITCH,
        /** A keyframe of the current layer the receiver was waiting for: it (re)starts here. */
        START,
        /** The current layer, flowing: the packet's sequence number decides. */
        FORWARD
    }

    /** How often a receiver waiting for a keyframe asks again, should the keyframe it asked for be lost. */
    static final long KEYFRAME_RETRY_MILLIS = 1000;
    private static final long KEYFRAME_RETRY_NANOS = KEYFRAME_RETRY_MILLIS * 1_000_000L;

    private final List<TrackForwarder> layers;
    private final BooleanSupplier connectionUp;
    private final IntConsumer targetChanged;
    private TrackForwarder current;
    private int targetLayer;
    /** The receiver's preference and what its bandwidth allows; the target is the lower. */
    private int maxLayer;
    private int bandwidthLayer;
    /** Nothing is sent until a keyframe of the current layer (video). */
    private boolean awaitingKeyframe;
    /** The receiver's peer knows this SSRC: what is sent now is not dropped as unknown. */
    private boolean negotiated = true;
    /** When this receiver last asked for a keyframe, and whether it has since it began waiting. */
    private long lastAskNanos;
    private boolean askedWhileWaiting;

    /**
     * @param layers        the track's layers, lowest first
     * @param targetLayer   the index of the layer to start on (clamped)
     * @param connectionUp  whether the receiver's connection can take packets now
     * @param targetChanged told the new target index when it changes
     */
    LayerSelector(List<TrackForwarder> layers, int targetLayer, BooleanSupplier connectionUp,
                  IntConsumer targetChanged) {
        this.layers = List.copyOf(layers);
        this.connectionUp = connectionUp;
        this.targetChanged = targetChanged;
        this.targetLayer = clampLayer(targetLayer);
        this.maxLayer = this.targetLayer;
        this.bandwidthLayer = this.layers.size() - 1;
        this.current = this.layers.get(this.targetLayer);
        this.awaitingKeyframe = current.codec() != null;
    }

    /**
     * What to do with a packet of layer {@code from}; a switch or start takes effect here.
     *
     * @param keyframe whether the packet starts a keyframe (always true for audio)
     */
    Admission admit(TrackForwarder from, boolean keyframe, long nowNanos) {
        if (from != current) {
            TrackForwarder target = layers.get(targetLayer);
            if (from != target) {
                return Admission.DROP;
            }
            if (keyframe && canReceive()) {
                current = from;
                awaitingKeyframe = false;
                return Admission.SWITCH;
            }
            askForKeyframe(target, nowNanos); // the switch waits on it; the first request may be lost
            return Admission.DROP;
        }
        if (awaitingKeyframe) {
            if (keyframe && canReceive()) {
                awaitingKeyframe = false;
                return Admission.START;
            }
            askForKeyframe(layers.get(targetLayer), nowNanos);
            return Admission.DROP;
        }
        return Admission.FORWARD;
    }

    /** Whether what is sent now reaches the receiver (its connection is up and it knows this SSRC). */
    private boolean canReceive() {
        return negotiated && connectionUp.getAsBoolean();
    }

    /** Asks {@code layer}'s publisher for a keyframe once the receiver can take it, then every retry interval. */
    private void askForKeyframe(TrackForwarder layer, long nowNanos) {
        if (!canReceive() || (askedWhileWaiting && nowNanos - lastAskNanos < KEYFRAME_RETRY_NANOS)) {
            return;
        }
        askedWhileWaiting = true;
        lastAskNanos = nowNanos;
        layer.requestKeyframe(nowNanos);
    }

    /** Sends nothing more until the next keyframe, asking for one. No effect on audio. */
    void awaitKeyframe() {
        if (current.codec() != null) {
            awaitingKeyframe = true;
            askedWhileWaiting = false;
        }
    }

    /** Whether the receiver's peer knows its SSRC yet; until then nothing is sent, and no keyframe asked for. */
    void setNegotiated(boolean known) {
        if (known && !negotiated) {
            askedWhileWaiting = false;
        }
        negotiated = known;
    }

    boolean awaitingKeyframe() {
        return awaitingKeyframe;
    }

    /** The receiver's preference: the highest layer it wants. */
    void setMaxLayer(int index, long nowNanos) {
        maxLayer = clampLayer(index);
        setTargetLayer(Math.min(maxLayer, bandwidthLayer), nowNanos);
    }

    /** The highest layer the receiver's estimated bandwidth leaves room for. */
    void setBandwidthLayer(int index, long nowNanos) {
        bandwidthLayer = clampLayer(index);
        setTargetLayer(Math.min(maxLayer, bandwidthLayer), nowNanos);
    }

    int maxLayer() {
        return maxLayer;
    }

    int bandwidthLayer() {
        return bandwidthLayer;
    }

    int targetLayer() {
        return targetLayer;
    }

    /** The layer now forwarded. */
    TrackForwarder current() {
        return current;
    }

    int currentIndex() {
        return layers.indexOf(current);
    }

    List<TrackForwarder> layers() {
        return layers;
    }

    private int clampLayer(int index) {
        return Math.min(Math.max(0, index), layers.size() - 1);
    }

    /** Forward layer {@code index} from its next keyframe on (asking the publisher for one). */
    private void setTargetLayer(int index, long nowNanos) {
        int target = clampLayer(index);
        if (target == targetLayer && layers.get(target) == current) {
            return;
        }
        if (target != targetLayer) {
            targetLayer = target;
            targetChanged.accept(target);
        }
        TrackForwarder layer = layers.get(target);
        if (layer != current && canReceive()) {
            askedWhileWaiting = true;
            lastAskNanos = nowNanos;
            layer.requestKeyframe(nowNanos);
        }
    }
}
