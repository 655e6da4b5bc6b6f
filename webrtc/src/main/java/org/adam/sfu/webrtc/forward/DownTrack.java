package org.adam.sfu.webrtc.forward;

import java.util.List;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.webrtc.rtp.RtpPacket;
import org.adam.sfu.webrtc.rtp.Vp8Payload;
import org.adam.sfu.webrtc.transport.MediaCounters;
import org.adam.sfu.webrtc.transport.WebRtcTransport;

/**
 * One receiver of one published track: the SSRC and payload type the receiver was offered, which
 * simulcast layer it gets, and which packets. Media event loop only.
 *
 * <p>A track has one layer, or several (simulcast); the receiver sees one continuous stream
 * either way. Switching layers waits for a keyframe of the target layer, then rewrites sequence
 * numbers to continue by one and timestamps to continue by about a frame (a timestamp jump at the
 * switch is what freezes receivers, mediasoup#999).
 *
 * <p>A packet that is not newer than the highest already sent of the current layer is a
 * retransmission answering some receiver's NACK; it goes only to receivers that asked for it,
 * so nobody is sent, and no SRTP context encrypts, the same packet twice.
 */
public final class DownTrack {

    /** Called on the media loop when the forwarded layer changes. */
    @FunctionalInterface
    public interface LayerObserver {
        void layerChanged(DownTrack downTrack, int layer);
    }

    private static final int NACK_MEMORY = 64;
    /** Timestamp step across a layer switch: one frame at 30 fps on the 90 kHz video clock. */
    private static final int SWITCH_TIMESTAMP_STEP = 3000;

    private final List<TrackForwarder> layers;
    private final WebRtcTransport receiver;
    private final int ssrc;
    private final int payloadType;
    private final LayerObserver observer;
    private TrackForwarder current;
    private int targetLayer;
    private int highestSeq = -1;
    private int seqOffset;
    private long timestampOffset;
    private int lastOutSeq = -1;
    private long lastOutTimestamp;
    private final int[] nacked = new int[NACK_MEMORY];
    private int nackedNext;
    private long packetsSent;
    private long bytesSent;

    /** A receiver of a single-layer track (or of one layer, as a pipe is). */
    public DownTrack(TrackForwarder source, WebRtcTransport receiver, int ssrc, int payloadType) {
        this(List.of(source), 0, receiver, ssrc, payloadType, (d, l) -> { });
    }

    /**
     * @param layers      the track's layers, lowest first; attach this DownTrack to each of them
     * @param targetLayer the index of the layer to forward
     * @param payloadType the receiver's payload type for the codec, or -1 to keep the publisher's
     */
    public DownTrack(List<TrackForwarder> layers, int targetLayer, WebRtcTransport receiver, int ssrc,
                     int payloadType, LayerObserver observer) {
        this.layers = List.copyOf(layers);
        this.receiver = receiver;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.observer = observer;
        this.targetLayer = Math.min(Math.max(0, targetLayer), this.layers.size() - 1);
        this.current = this.layers.get(this.targetLayer);
        java.util.Arrays.fill(nacked, -1);
    }

    /** Whether {@code packet} (sequence {@code seq}) of layer {@code from} goes to this receiver. */
    boolean admits(TrackForwarder from, ByteBuf packet, int seq) {
        if (from != current) {
            if (from == layers.get(targetLayer) && Vp8Payload.isKeyframeStart(packet)) {
                switchTo(from, packet, seq);
                return true;
            }
            return false;
        }
        if (highestSeq < 0) {
            highestSeq = seq;
            return true;
        }
        int ahead = (seq - highestSeq) & 0xFFFF;
        if (ahead != 0 && ahead < 0x8000) {
            highestSeq = seq;
            return true;
        }
        for (int i = 0; i < NACK_MEMORY; i++) {
            if (nacked[i] == seq) {
                nacked[i] = -1;
                return true;
            }
        }
        return false;
    }

    private void switchTo(TrackForwarder layer, ByteBuf packet, int seq) {
        current = layer;
        highestSeq = seq;
        if (lastOutSeq >= 0) {
            seqOffset = (lastOutSeq + 1 - seq) & 0xFFFF;
            timestampOffset = (lastOutTimestamp + SWITCH_TIMESTAMP_STEP - RtpPacket.timestamp(packet)) & 0xFFFFFFFFL;
        }
        java.util.Arrays.fill(nacked, -1);
        observer.layerChanged(this, layers.indexOf(layer));
    }

    /** Forward layer {@code index} from its next keyframe on (asking the publisher for one). */
    public void setTargetLayer(int index, long nowNanos) {
        int target = Math.min(Math.max(0, index), layers.size() - 1);
        targetLayer = target;
        TrackForwarder layer = layers.get(target);
        if (layer != current) {
            layer.requestKeyframe(nowNanos);
        }
    }

    /** The receiver reported output sequence {@code outSeq} missing; its retransmission may pass once. */
    void rememberNack(int outSeq) {
        nacked[nackedNext] = (outSeq - seqOffset) & 0xFFFF;
        nackedNext = (nackedNext + 1) % NACK_MEMORY;
    }

    /** The publisher's sequence number for output sequence {@code outSeq} of the current layer. */
    int originalSequence(int outSeq) {
        return (outSeq - seqOffset) & 0xFFFF;
    }

    /** Rewrites and sends; takes ownership of {@code packet}. */
    void send(ByteBuf packet) {
        rewrite(packet);
        int length = packet.readableBytes();
        if (receiver.sendRtp(packet)) {
            packetsSent++;
            bytesSent += length;
            MediaCounters counters = receiver.counters();
            counters.rtpForwarded.increment();
            counters.rtpForwardedBytes.add(length);
            if (receiver.isPipe()) {
                counters.pipeBytesOut.add(length);
            }
        }
    }

    /** The rewrite of {@link #send} without sending, for tests of the layer logic. */
    void sendForTest(ByteBuf packet) {
        rewrite(packet);
    }

    /** SSRC, payload type, and sequence number and timestamp continuity across layer switches. */
    private void rewrite(ByteBuf packet) {
        RtpPacket.setSsrc(packet, ssrc);
        if (payloadType >= 0 && RtpPacket.payloadType(packet) != payloadType) {
            RtpPacket.setPayloadType(packet, payloadType);
        }
        if (seqOffset != 0 || timestampOffset != 0) {
            RtpPacket.setSequenceNumber(packet, (RtpPacket.sequenceNumber(packet) + seqOffset) & 0xFFFF);
            RtpPacket.setTimestamp(packet, (RtpPacket.timestamp(packet) + timestampOffset) & 0xFFFFFFFFL);
        }
        int outSeq = RtpPacket.sequenceNumber(packet);
        if (lastOutSeq < 0 || (((outSeq - lastOutSeq) & 0xFFFF) < 0x8000)) {
            lastOutSeq = outSeq;
            lastOutTimestamp = RtpPacket.timestamp(packet);
        }
    }

    /** The layer now forwarded (its keyframe requests and NACKs go to its publisher stream). */
    public TrackForwarder source() {
        return current;
    }

    public List<TrackForwarder> layers() {
        return layers;
    }

    public WebRtcTransport receiver() {
        return receiver;
    }

    public int ssrc() {
        return ssrc;
    }

    public long packetsSent() {
        return packetsSent;
    }

    public long bytesSent() {
        return bytesSent;
    }
}
