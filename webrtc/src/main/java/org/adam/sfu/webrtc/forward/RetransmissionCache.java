package org.adam.sfu.webrtc.forward;

import io.netty.buffer.ByteBuf;

/**
 * The last packets of one published video stream, by sequence number, so the node answers a
 * receiver's NACK itself instead of asking the publisher (whose answer would take a round trip
 * more, and whose retransmission every other receiver would be sent too).
 *
 * <p>A ring indexed by the low bits of the sequence number holds the decrypted originals (pooled
 * buffers, released when overwritten or on {@link #clear}). Packets older than {@link #MAX_AGE_NANOS}
 * are not resent: the receiver's jitter buffer has given up on them and a keyframe is on its way.
 * Media event loop only.
 */
final class RetransmissionCache {

    /** About 2.8 s of a 1.7 Mbit/s layer in 1,200-byte packets; fewer for lower layers. */
    static final int SLOTS = 512;
    static final long MAX_AGE_NANOS = 1_000_000_000L;
    private static final int MASK = SLOTS - 1;

    private final ByteBuf[] packets = new ByteBuf[SLOTS];
    private final int[] sequences = new int[SLOTS];
    private final long[] storedAt = new long[SLOTS];

    /** Keeps {@code packet} (sequence {@code seq}); takes ownership. */
    void store(ByteBuf packet, int seq, long nowNanos) {
        int slot = seq & MASK;
        ByteBuf previous = packets[slot];
        if (previous != null) {
            previous.release();
        }
        packets[slot] = packet;
        sequences[slot] = seq;
        storedAt[slot] = nowNanos;
    }

    /** The packet with sequence {@code seq} if still kept and fresh enough; borrowed, not to be released. */
    ByteBuf find(int seq, long nowNanos) {
        int slot = seq & MASK;
        ByteBuf packet = packets[slot];
        if (packet == null || sequences[slot] != seq || nowNanos - storedAt[slot] > MAX_AGE_NANOS) {
            return null;
        }
        return packet;
    }

    void clear() {
        for (int i = 0; i < SLOTS; i++) {
            if (packets[i] != null) {
                packets[i].release();
                packets[i] = null;
            }
        }
    }
}
