package org.adam.sfu.webrtc.forward;

/**
 * The arithmetic that makes one receiver's stream continuous: the offsets from the publisher's
 * sequence numbers and timestamps to the receiver's, across layer switches and stretches held
 * back, and what was last sent. Sequence numbers are modulo 2^16, timestamps modulo 2^32; a
 * number is "newer" when it is less than half the range ahead (RFC 3550 A.1's serial arithmetic).
 *
 * <p>Owned by one {@link DownTrack}; media event loop only. Allocates nothing.
 */
final class RtpRewriter {

    /** Timestamp step across a layer switch: one frame at 30 fps on the 90 kHz video clock. */
    static final int SWITCH_TIMESTAMP_STEP = 3000;

    private int seqOffset;
    private long timestampOffset;
    private int lastOutSeq = -1;
    private long lastOutTimestamp;
    /** First output sequence of the current segment: what came before is not this segment's to resend. */
    private int segmentStart = -1;

    /**
     * A new layer starts at a packet with publisher timestamp {@code sourceTimestamp}: its output
     * timestamp follows the last one sent by about a frame (a jump at the switch freezes
     * receivers, mediasoup#999). Nothing to do before the first packet sent.
     */
    void continueTimestampsAt(long sourceTimestamp) {
        if (lastOutSeq >= 0) {
            timestampOffset = (lastOutTimestamp + SWITCH_TIMESTAMP_STEP - sourceTimestamp) & 0xFFFFFFFFL;
        }
    }

    /**
     * A new segment starts at publisher sequence {@code sourceSeq}: its output sequence follows
     * the last one sent by one (nothing held back shows as loss). Timestamps keep their offset.
     */
    void restartAt(int sourceSeq) {
        if (lastOutSeq >= 0) {
            seqOffset = (lastOutSeq + 1 - sourceSeq) & 0xFFFF;
        }
        segmentStart = -1;
    }

    int outSequence(int sourceSeq) {
        return (sourceSeq + seqOffset) & 0xFFFF;
    }

    long outTimestamp(long sourceTimestamp) {
        return (sourceTimestamp + timestampOffset) & 0xFFFFFFFFL;
    }

    /** The publisher's sequence number for output sequence {@code outSeq} of the current segment. */
    int originalSequence(int outSeq) {
        return (outSeq - seqOffset) & 0xFFFF;
    }

    /** A media packet went out as {@code outSeq}, {@code outTimestamp}; the newest is remembered. */
    void sent(int outSeq, long outTimestamp) {
        if (lastOutSeq < 0 || ((outSeq - lastOutSeq) & 0xFFFF) < 0x8000) {
            if (segmentStart < 0) {
                segmentStart = outSeq;
            }
            lastOutSeq = outSeq;
            lastOutTimestamp = outTimestamp;
        }
    }

    /** Whether output sequence {@code outSeq} was sent in the current segment (so may be resent). */
    boolean sentInSegment(int outSeq) {
        return segmentStart >= 0 && ((outSeq - segmentStart) & 0xFFFF) < 0x8000
                && ((lastOutSeq - outSeq) & 0xFFFF) < 0x8000;
    }

    /** Whether anything was sent yet. */
    boolean started() {
        return lastOutSeq >= 0;
    }

    /** The output timestamp of the newest packet sent. */
    long lastTimestamp() {
        return lastOutTimestamp;
    }
}
