package org.adam.sfu.webrtc.forward;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.adam.sfu.webrtc.rtp.RtpPacket;
import org.adam.sfu.webrtc.transport.WebRtcTransport;

/**
 * One receiver of one published track: the SSRC and payload type the receiver was offered, and
 * its own copy of each packet it gets. The decisions are its parts': {@link LayerSelector} (which
 * simulcast layer; switches and starts only on keyframes), {@link SequenceGate} (within the layer,
 * newer packets, and late ones only if NACKed), {@link RtpRewriter} (sequence numbers and
 * timestamps continuous across switches and stretches held back), {@link RtxStream} and
 * {@link PaddingProbes} (retransmissions and probes). This class wires them and builds the copies.
 *
 * <p>A receiver's NACK is answered from the layer's {@link RetransmissionCache} on this receiver's
 * RTX stream. A packet the node never had is asked of the publisher; when it arrives late (not
 * newer than the highest already sent of the current layer) it goes only to receivers that
 * NACKed it, so nobody is sent, and no SRTP context encrypts, the same packet twice.
 *
 * <p>Media event loop only, like every part it owns.
 */
public final class DownTrack {

    /** Called on the media loop when the forwarded layer changes, and when the layer aimed at does. */
    @FunctionalInterface
    public interface LayerObserver {
        void layerChanged(DownTrack downTrack, int layer);

        default void targetChanged(DownTrack downTrack, int layer) {
        }
    }

    private final WebRtcTransport receiver;
    /** Where the copies go: the receiver's transport, or a test's link; null only in benchmarks. */
    private final ReceiverLink link;
    private final int ssrc;
    private final int payloadType;
    private final LayerObserver observer;
    private final LayerSelector selector;
    private final SequenceGate sequences = new SequenceGate();
    private final RtpRewriter rewriter = new RtpRewriter();
    private final RtxStream rtx = new RtxStream();
    private final SendStatistics sent = new SendStatistics();
    /** Where in the packet being sent its transport-wide sequence number goes (-1: none). */
    private int transportSequenceOffset = -1;

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
        this(layers, targetLayer, receiver, ReceiverLink.of(receiver), ssrc, payloadType, observer);
    }

    /** As the public constructor, sending through {@code link} (tests give their own, and no transport). */
    DownTrack(List<TrackForwarder> layers, int targetLayer, WebRtcTransport receiver, ReceiverLink link,
              int ssrc, int payloadType, LayerObserver observer) {
        this.receiver = receiver;
        this.link = link;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.observer = observer;
        this.selector = new LayerSelector(layers, targetLayer, link == null ? () -> true : link::canSend,
                target -> observer.targetChanged(this, target));
    }

    /**
     * Whether {@code packet} (sequence {@code seq}) of layer {@code from} goes to this receiver.
     *
     * @param keyframe whether the packet starts a keyframe (always true for audio)
     */
    boolean admits(TrackForwarder from, ByteBuf packet, int seq, boolean keyframe, long nowNanos) {
        return switch (selector.admit(from, keyframe, nowNanos)) {
            case FORWARD -> sequences.admits(seq);
            case DROP -> false;
            case START -> restartAt(seq);
            case SWITCH -> switchAt(packet, seq);
        };
    }

    /** The receiver switches layers at {@code packet}, a keyframe: timestamps continue too. */
    private boolean switchAt(ByteBuf packet, int seq) {
        rewriter.continueTimestampsAt(RtpPacket.timestamp(packet));
        restartAt(seq);
        observer.layerChanged(this, selector.currentIndex());
        return true;
    }

    /** Forwarding (re)starts at publisher sequence {@code seq}, a keyframe, which goes. */
    private boolean restartAt(int seq) {
        sequences.restartAt(seq);
        rewriter.restartAt(seq);
        return true;
    }

    /**
     * Sends nothing more until the next keyframe, asking for one (the receiver's connection came
     * back, or it must start decoding afresh). No effect on audio. Media event loop.
     */
    public void awaitKeyframe() {
        selector.awaitKeyframe();
    }

    /**
     * Whether the receiver's peer knows this down track's SSRC yet (it has answered the offer
     * naming it); until then nothing is sent, and no keyframe asked for. Media event loop.
     */
    public void setNegotiated(boolean known) {
        selector.setNegotiated(known);
    }

    /** Whether this receiver is waiting for a keyframe to start (or restart) on. */
    public boolean awaitingKeyframe() {
        return selector.awaitingKeyframe();
    }

    /**
     * The receiver's preference (protocol `set-quality`): the highest layer it wants. What it gets
     * is this or less, as its bandwidth allows ({@link LayerSelector#setBandwidthLayer}).
     */
    public void setMaxLayer(int index, long nowNanos) {
        selector.setMaxLayer(index, nowNanos);
    }

    /** Its layer choice, which the receiver's {@link DownlinkAllocator} moves within its bandwidth. */
    LayerSelector layerChoice() {
        return selector;
    }

    /**
     * Sends {@code bytes} (roughly) of padding-only packets on the RTX stream, to probe for more
     * bandwidth ({@link PaddingProbes}).
     *
     * @return the bytes sent, 0 without an RTX stream or before the first media packet
     */
    int sendPadding(int bytes) {
        if (!rtx.enabled() || !rewriter.started()) {
            return 0;
        }
        return PaddingProbes.send(link, rtx, rewriter.lastTimestamp(), bytes);
    }

    /** Bits per second sent to this receiver since the last call. Media event loop. */
    long takeRateBps(long nowNanos) {
        return sent.takeRateBps(nowNanos);
    }

    /** The receiver reported output sequence {@code outSeq} missing; its retransmission may pass once. */
    void rememberNack(int outSeq) {
        sequences.rememberNack(rewriter.originalSequence(outSeq));
    }

    /** The publisher's sequence number for output sequence {@code outSeq} of the current layer. */
    int originalSequence(int outSeq) {
        return rewriter.originalSequence(outSeq);
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
        if (!rtx.enabled() || !rewriter.sentInSegment(outSeq)) {
            return false; // not sent of this layer (before a switch, or not yet)
        }
        ByteBuf original = source().cached(originalSequence(outSeq), nowNanos);
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
        if (link.sendRtp(out, transportSequenceOffset)) {
            if (retransmission) {
                sent.retransmissionSent(link);
            } else {
                sent.mediaSent(length, source().layerIndex(), link);
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
    private ByteBuf build(ByteBuf packet, boolean retransmission) {
        int start = packet.readerIndex();
        int header = RtpPacket.headerLength(packet);
        if (header < 0) {
            return null;
        }
        int first = packet.getUnsignedByte(start);
        int fixedAndCsrcs = RtpPacket.FIXED_HEADER + 4 * (first & 0x0F);
        int transportCcId = link == null ? -1 : link.transportCcExtensionId();
        boolean ownExtension = transportCcId > 0;
        int extensionLength = ownExtension ? TransportCcExtension.LENGTH : header - fixedAndCsrcs;
        int payloadLength = packet.readableBytes() - header;
        ByteBuf out = allocator().directBuffer(fixedAndCsrcs + extensionLength + (retransmission ? 2 : 0)
                + payloadLength + TrackForwarder.SRTP_TAG_ROOM);
        int seq = rewriter.outSequence(RtpPacket.sequenceNumber(packet));
        long timestamp = rewriter.outTimestamp(RtpPacket.timestamp(packet));
        int pt = retransmission ? rtx.payloadType() : (payloadType >= 0 ? payloadType : RtpPacket.payloadType(packet));
        out.writeByte(ownExtension ? first | 0x10 : first);
        out.writeByte((packet.getUnsignedByte(start + 1) & 0x80) | pt);
        out.writeShort(retransmission ? rtx.takeSequence() : seq);
        out.writeInt((int) timestamp);
        out.writeInt(retransmission ? rtx.ssrc() : ssrc);
        out.writeBytes(packet, start + RtpPacket.FIXED_HEADER, fixedAndCsrcs - RtpPacket.FIXED_HEADER);
        if (ownExtension) {
            transportSequenceOffset = TransportCcExtension.write(out, transportCcId);
        } else {
            transportSequenceOffset = -1;
            out.writeBytes(packet, start + fixedAndCsrcs, extensionLength);
        }
        if (retransmission) {
            out.writeShort(seq);
        } else {
            rewriter.sent(seq, timestamp);
        }
        out.writeBytes(packet, start + header, payloadLength);
        return out;
    }

    /** The receiver's socket's allocator; without one (benchmarks) the default a socket would have. */
    private ByteBufAllocator allocator() {
        return link == null ? ByteBufAllocator.DEFAULT : link.allocator();
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
        rtx.set(rtxSsrc, rtxPt);
    }

    /** The layer now forwarded (its keyframe requests and NACKs go to its publisher stream). */
    public TrackForwarder source() {
        return selector.current();
    }

    public List<TrackForwarder> layers() {
        return selector.layers();
    }

    public WebRtcTransport receiver() {
        return receiver;
    }

    public int ssrc() {
        return ssrc;
    }

    public long packetsSent() {
        return sent.packetsSent();
    }

    public long bytesSent() {
        return sent.bytesSent();
    }
}
