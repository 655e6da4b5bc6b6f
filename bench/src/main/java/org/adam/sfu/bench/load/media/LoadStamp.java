package org.adam.sfu.bench.load.media;

import io.netty.buffer.ByteBuf;

/**
 * The last 16 bytes of every payload the load generator sends: a marker, the stream's own packet
 * counter and the send time from {@link System#nanoTime()} (CLOCK_MONOTONIC, shared by every
 * process of the machine), so a receiver measures one-way latency without clock sync. At the end
 * rather than the start, so codec headers before it keep their usual shape.
 */
public final class LoadStamp {

    public static final int LENGTH = 16;
    private static final int MARKER = 0x4C4F4144; // "LOAD"

    private LoadStamp() {
    }

    /** Appends the stamp at the writer index. */
    public static void write(ByteBuf out, int counter, long sendNanos) {
        out.writeInt(MARKER);
        out.writeInt(counter);
        out.writeLong(sendNanos);
    }

    /**
     * The send time of a plain RTP packet whose payload ends at the writer index, or -1 if the
     * payload carries no stamp (padding probes, retransmissions of a different shape).
     */
    public static long sendNanos(ByteBuf packet, int payloadOffset) {
        int end = packet.writerIndex();
        int start = end - LENGTH;
        if (start < packet.readerIndex() + payloadOffset || packet.getInt(start) != MARKER) {
            return -1;
        }
        return packet.getLong(start + 8);
    }
}
