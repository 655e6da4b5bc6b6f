package org.adam.sfu.webrtc.forward;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.adam.sfu.webrtc.rtp.RtpHeaderExtensions;
import org.adam.sfu.webrtc.rtp.RtpPacket;
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
 * <p>A video receiver starts on a keyframe, as mediasoup's consumers (`syncRequired`) and Jitsi
 * Videobridge do: until one of its layer arrives it is sent nothing, and it keeps asking the
 * publisher for one (at most every {@value #KEYFRAME_RETRY_MILLIS} ms; the stream coalesces
 * everyone's requests). It starts waiting when created, and again when its connection comes back
 * ({@link #awaitKeyframe}). It asks only once it can be sent something: its peer knows its SSRC
 * (the subscribe answer arrived, {@link #setNegotiated}) and the connection is up, so the keyframe
 * it asked for is not dropped on the way. Clients that never ask for keyframes themselves
 * (recorders, aiortc, GStreamer) depend on this; Chromium hides its absence by sending PLIs. What
 * was held back leaves no gap: the output sequence continues by one.
 *
 * <p>A receiver's NACK is answered from the layer's {@link RetransmissionCache} on this receiver's
 * RTX stream. A packet the node never had is asked of the publisher; when it arrives late (not
 * newer than the highest already sent of the current layer) it goes only to receivers that
 * NACKed it, so nobody is sent, and no SRTP context encrypts, the same packet twice.
 */
public final class DownTrack {

    /** Called on the media loop when the forwarded layer changes, and when the layer aimed at does. */
    @FunctionalInterface
    public interface LayerObserver {
        void layerChanged(DownTrack downTrack, int layer);

        default void targetChanged(DownTrack downTrack, int layer) {
        }
    }

    private static final int NACK_MEMORY = 64;
    /** How often a receiver waiting for a keyframe asks again, should the keyframe it asked for be lost. */
    static final long KEYFRAME_RETRY_MILLIS = 1000;
    private static final long KEYFRAME_RETRY_NANOS = KEYFRAME_RETRY_MILLIS * 1_000_000L;
    /** Timestamp step across a layer switch: one frame at 30 fps on the 90 kHz video clock. */
    private static final int SWITCH_TIMESTAMP_STEP = 3000;
    /** Padding bytes per probe packet: the most one padding-count byte can describe. */
    private static final int PADDING_PER_PACKET = 255;

    private final List<TrackForwarder> layers;
    private final WebRtcTransport receiver;
    private final int ssrc;
    private final int payloadType;
    private final LayerObserver observer;
    private TrackForwarder current;
    private int targetLayer;
    /** The receiver's preference and what its bandwidth allows; the target is the lower. */
    private int maxLayer;
    private int bandwidthLayer;
    private long rateMarkNanos;
    private long rateMarkBytes;
    private int highestSeq = -1;
    private int seqOffset;
    private long timestampOffset;
    private int lastOutSeq = -1;
    private long lastOutTimestamp;
    private final int[] nacked = new int[NACK_MEMORY];
    private int nackedNext;
    private long packetsSent;
    private long bytesSent;
    /** First output sequence of the current layer: NACKs before it are not this layer's to answer. */
    private int segmentStart = -1;
    private int rtxSsrc;
    private int rtxPayloadType = -1;
    private int rtxSeq = java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000);
    /** Where in the packet being sent its transport-wide sequence number goes (-1: none). */
    private int transportSequenceOffset = -1;
    /** Nothing is sent until a keyframe of the current layer (video; see the class comment). */
    private boolean awaitingKeyframe;
    /** The receiver's peer knows this SSRC: what is sent now is not dropped as unknown. */
    private boolean negotiated = true;
    /** When this receiver last asked for a keyframe, and whether it has since it began waiting. */
    private long lastAskNanos;
    private boolean askedWhileWaiting;

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
        this.maxLayer = this.targetLayer;
        this.bandwidthLayer = this.layers.size() - 1;
        this.current = this.layers.get(this.targetLayer);
        this.awaitingKeyframe = current.codec() != null;
        java.util.Arrays.fill(nacked, -1);
    }

    /**
     * Whether {@code packet} (sequence {@code seq}) of layer {@code from} goes to this receiver.
     *
     * @param keyframe whether the packet starts a keyframe (always true for audio)
     */
    boolean admits(TrackForwarder from, ByteBuf packet, int seq, boolean keyframe, long nowNanos) {
        if (from != current) {
            TrackForwarder target = layers.get(targetLayer);
            if (from != target) {
                return false;
            }
            if (keyframe && canReceive()) {
                switchTo(from, packet, seq);
                return true;
            }
            askForKeyframe(target, nowNanos); // the switch waits on it; the first request may be lost
            return false;
        }
        if (awaitingKeyframe) {
            if (keyframe && canReceive()) {
                resync(packet, seq);
                return true;
            }
            askForKeyframe(layers.get(targetLayer), nowNanos);
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
        if (lastOutSeq >= 0) {
            timestampOffset = (lastOutTimestamp + SWITCH_TIMESTAMP_STEP - RtpPacket.timestamp(packet)) & 0xFFFFFFFFL;
        }
        resync(packet, seq);
        observer.layerChanged(this, layers.indexOf(layer));
    }

    /**
     * Starts forwarding at {@code packet}, a keyframe: its output sequence follows the last one
     * sent (nothing held back shows as loss), and NACKs of what came before are no longer this
     * segment's to answer. Timestamps keep their offset: within one layer they follow the clock.
     */
    private void resync(ByteBuf packet, int seq) {
        awaitingKeyframe = false;
        highestSeq = seq;
        if (lastOutSeq >= 0) {
            seqOffset = (lastOutSeq + 1 - seq) & 0xFFFF;
        }
        java.util.Arrays.fill(nacked, -1);
        segmentStart = -1;
    }

    /** Whether what is sent now reaches the receiver (its connection is up and it knows this SSRC). */
    private boolean canReceive() {
        return negotiated && (receiver == null || receiver.canSend());
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

    /**
     * Sends nothing more until the next keyframe, asking for one (the receiver's connection came
     * back, or it must start decoding afresh). No effect on audio. Media event loop.
     */
    public void awaitKeyframe() {
        if (current.codec() != null) {
            awaitingKeyframe = true;
            askedWhileWaiting = false;
        }
    }

    /**
     * Whether the receiver's peer knows this down track's SSRC yet (it has answered the offer
     * naming it); until then nothing is sent, and no keyframe asked for. Media event loop.
     */
    public void setNegotiated(boolean known) {
        if (known && !negotiated) {
            askedWhileWaiting = false;
        }
        negotiated = known;
    }

    /** Whether this receiver is waiting for a keyframe to start (or restart) on. */
    public boolean awaitingKeyframe() {
        return awaitingKeyframe;
    }

    /**
     * The receiver's preference (protocol `set-quality`): the highest layer it wants. What it gets
     * is this or less, as its bandwidth allows ({@link #setBandwidthLayer}).
     */
    public void setMaxLayer(int index, long nowNanos) {
        maxLayer = clampLayer(index);
        setTargetLayer(Math.min(maxLayer, bandwidthLayer), nowNanos);
    }

    /** The highest layer the receiver's estimated bandwidth leaves room for. Media event loop. */
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
            observer.targetChanged(this, target);
        }
        TrackForwarder layer = layers.get(target);
        if (layer != current && canReceive()) {
            askedWhileWaiting = true;
            lastAskNanos = nowNanos;
            layer.requestKeyframe(nowNanos);
        }
    }

    /**
     * Sends {@code bytes} (roughly) of padding-only packets on the RTX stream: the receiver
     * discards them but reports their arrival, which is how the node probes for more bandwidth.
     *
     * @return the bytes sent, 0 without an RTX stream or before the first media packet
     */
    int sendPadding(int bytes) {
        if (rtxPayloadType < 0 || lastOutSeq < 0) {
            return 0;
        }
        int sent = 0;
        int transportCcId = receiver.transportCcExtensionId();
        while (sent < bytes) {
            ByteBuf out = allocator().directBuffer(RtpPacket.FIXED_HEADER + 8 + PADDING_PER_PACKET
                    + TrackForwarder.SRTP_TAG_ROOM);
            out.writeByte(transportCcId > 0 ? 0xB0 : 0xA0); // V=2, P=1, X if the transport-wide sequence goes in
            out.writeByte(rtxPayloadType);
            out.writeShort(rtxSeq++ & 0xFFFF);
            out.writeInt((int) lastOutTimestamp);
            out.writeInt(rtxSsrc);
            int offset = transportCcId > 0 ? writeTransportCcExtension(out, transportCcId) : -1;
            out.writeZero(PADDING_PER_PACKET - 1);
            out.writeByte(PADDING_PER_PACKET); // the padding count includes itself (RFC 3550 5.1)
            int length = out.readableBytes();
            if (!receiver.sendRtp(out, offset)) {
                break;
            }
            receiver.counters().paddingBytes.add(length);
            sent += length;
        }
        return sent;
    }

    /** Bits per second sent to this receiver since the last call. Media event loop. */
    long takeRateBps(long nowNanos) {
        long elapsed = nowNanos - rateMarkNanos;
        long bytes = bytesSent - rateMarkBytes;
        rateMarkNanos = nowNanos;
        rateMarkBytes = bytesSent;
        return elapsed <= 0 || elapsed > 10_000_000_000L ? 0 : bytes * 8_000_000_000L / elapsed;
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

    /**
     * Sends this receiver its own copy of {@code packet}, rewritten; the caller keeps
     * {@code packet} (it is shared by every receiver and the retransmission cache).
     */
    void send(ByteBuf packet) {
        ByteBuf out = build(packet, false);
        if (out != null) {
            transmit(out, false);
        }
    }

    /**
     * Answers the receiver's NACK of output sequence {@code outSeq} from the cache, on the RTX
     * stream (RFC 4588): a retransmission on the media SSRC would reuse an SRTP packet index.
     *
     * @return false if there is no RTX stream or the packet is not (or no longer) cached
     */
    boolean retransmit(int outSeq, long nowNanos) {
        if (rtxPayloadType < 0 || segmentStart < 0 || ((outSeq - segmentStart) & 0xFFFF) >= 0x8000
                || ((lastOutSeq - outSeq) & 0xFFFF) >= 0x8000) {
            return false; // not sent of this layer (before a switch, or not yet)
        }
        ByteBuf original = current.cached(originalSequence(outSeq), nowNanos);
        if (original == null) {
            return false;
        }
        ByteBuf out = build(original, true);
        if (out == null) {
            return false;
        }
        transmit(out, true);
        return true;
    }

    private void transmit(ByteBuf out, boolean retransmission) {
        int length = out.readableBytes();
        if (receiver.sendRtp(out, transportSequenceOffset)) {
            MediaCounters counters = receiver.counters();
            if (retransmission) {
                counters.retransmissions.increment();
                return;
            }
            packetsSent++;
            bytesSent += length;
            counters.rtpForwarded.increment();
            counters.rtpForwardedBytes.add(length);
            int layer = current.layerIndex();
            if (layer >= 0) {
                counters.layerBytesOut[layer].add(length);
            }
            if (receiver.isPipe()) {
                counters.pipeBytesOut.add(length);
            }
        }
    }

    /**
     * This receiver's copy of {@code packet}: its SSRC, payload type, continuous sequence numbers
     * and timestamps, and the header extensions it was offered (only the transport-wide sequence
     * number, when it takes part in bandwidth estimation; otherwise the publisher's, unchanged).
     * An RTX copy carries the original sequence number before the payload (RFC 4588 4).
     *
     * @return a pooled buffer with room for the SRTP tag, or null for a packet without a sound header
     */
    private ByteBuf build(ByteBuf packet, boolean rtx) {
        int start = packet.readerIndex();
        int header = RtpPacket.headerLength(packet);
        if (header < 0) {
            return null;
        }
        int first = packet.getUnsignedByte(start);
        int fixedAndCsrcs = RtpPacket.FIXED_HEADER + 4 * (first & 0x0F);
        int transportCcId = receiver == null ? -1 : receiver.transportCcExtensionId();
        boolean ownExtension = transportCcId > 0;
        int extensionLength = ownExtension ? 8 : header - fixedAndCsrcs;
        int payloadLength = packet.readableBytes() - header;
        ByteBuf out = allocator().directBuffer(
                fixedAndCsrcs + extensionLength + (rtx ? 2 : 0) + payloadLength + TrackForwarder.SRTP_TAG_ROOM);
        int seq = (RtpPacket.sequenceNumber(packet) + seqOffset) & 0xFFFF;
        long timestamp = (RtpPacket.timestamp(packet) + timestampOffset) & 0xFFFFFFFFL;
        int sourcePt = RtpPacket.payloadType(packet);
        int pt = rtx ? rtxPayloadType : (payloadType >= 0 ? payloadType : sourcePt);
        out.writeByte(ownExtension ? first | 0x10 : first);
        out.writeByte((packet.getUnsignedByte(start + 1) & 0x80) | pt);
        out.writeShort(rtx ? rtxSeq++ & 0xFFFF : seq);
        out.writeInt((int) timestamp);
        out.writeInt(rtx ? rtxSsrc : ssrc);
        out.writeBytes(packet, start + RtpPacket.FIXED_HEADER, fixedAndCsrcs - RtpPacket.FIXED_HEADER);
        if (ownExtension) {
            transportSequenceOffset = writeTransportCcExtension(out, transportCcId);
        } else {
            transportSequenceOffset = -1;
            out.writeBytes(packet, start + fixedAndCsrcs, extensionLength);
        }
        if (rtx) {
            out.writeShort(seq);
        } else if (lastOutSeq < 0 || (((seq - lastOutSeq) & 0xFFFF) < 0x8000)) {
            if (segmentStart < 0) {
                segmentStart = seq;
            }
            lastOutSeq = seq;
            lastOutTimestamp = timestamp;
        }
        out.writeBytes(packet, start + header, payloadLength);
        return out;
    }

    /**
     * Writes a one-byte-header extension block (RFC 8285) holding only the 2-byte transport-wide
     * sequence number, which the transport stamps at send time.
     *
     * @return the absolute index of the sequence number
     */
    private static int writeTransportCcExtension(ByteBuf out, int id) {
        out.writeShort(RtpHeaderExtensions.ONE_BYTE_PROFILE).writeShort(1);
        int offset = out.writerIndex() + 1;
        out.writeByte((id << 4) | 1).writeShort(0).writeByte(0);
        return offset;
    }

    /** The receiver's socket's allocator; without one (benchmarks) the default a socket would have. */
    private ByteBufAllocator allocator() {
        return receiver == null ? ByteBufAllocator.DEFAULT : receiver.allocator();
    }

    /** The copy {@link #send} would send, without sending, for tests of the layer logic. */
    ByteBuf sendForTest(ByteBuf packet) {
        return build(packet, false);
    }

    /**
     * The receiver takes retransmissions on {@code rtxSsrc} with payload type {@code rtxPt}
     * (negotiated as apt of this track's codec); -1 turns them off. Media event loop.
     */
    public void setRtx(int rtxSsrc, int rtxPt) {
        this.rtxSsrc = rtxSsrc;
        this.rtxPayloadType = rtxPt;
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
