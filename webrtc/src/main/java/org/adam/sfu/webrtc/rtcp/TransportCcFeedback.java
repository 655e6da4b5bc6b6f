package org.adam.sfu.webrtc.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Reads a transport-wide congestion control feedback packet (RTPFB, FMT 15;
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 3.1) on the packet the
 * {@link RtcpCompound} cursor points at: for each reported transport-wide sequence number,
 * whether it arrived and when, on the receiver's clock. Nothing here allocates.
 */
public final class TransportCcFeedback {

    /** Status symbols (2-bit form; the 1-bit form has only the first two). */
    private static final int NOT_RECEIVED = 0;
    private static final int SMALL_DELTA = 1;
    private static final int LARGE_DELTA = 2;

    private TransportCcFeedback() {
    }

    /** Receives one packet's fate; {@code arrivalMicros} is meaningful only when received. */
    @FunctionalInterface
    public interface PacketSink {
        void packet(int sequenceNumber, boolean received, long arrivalMicros);
    }

    /**
     * Calls {@code sink} for every packet the report covers, in sequence order.
     *
     * @return how many were reported, or -1 if the report is malformed (it may have been passed
     *         on in part: a truncated report still tells the truth about its first packets)
     */
    public static int forEach(RtcpCompound packet, PacketSink sink) {
        ByteBuf buf = packet.buffer();
        int start = packet.offset();
        int end = start + packet.length();
        if (packet.length() < 20) {
            return -1;
        }
        int baseSeq = buf.getUnsignedShort(start + 12);
        int statusCount = buf.getUnsignedShort(start + 14);
        int referenceTime = buf.getMedium(start + 16); // signed 24 bits, 64 ms units
        long arrival = referenceTime * 64_000L;

        // First pass: walk the chunks to find where the receive deltas begin.
        int chunk = start + 20;
        int covered = 0;
        while (covered < statusCount) {
            if (chunk + 2 > end) {
                return -1;
            }
            covered += symbolsIn(buf.getUnsignedShort(chunk));
            chunk += 2;
        }
        int delta = chunk;

        // Second pass: symbols in order, each received one consuming its delta.
        int reported = 0;
        for (int c = start + 20; c < chunk && reported < statusCount; c += 2) {
            int word = buf.getUnsignedShort(c);
            int symbols = Math.min(symbolsIn(word), statusCount - reported);
            for (int i = 0; i < symbols; i++) {
                int symbol = symbolAt(word, i);
                int seq = (baseSeq + reported) & 0xFFFF;
                if (symbol == NOT_RECEIVED) {
                    sink.packet(seq, false, arrival);
                } else if (symbol == SMALL_DELTA) {
                    if (delta + 1 > end) {
                        return -1;
                    }
                    arrival += buf.getUnsignedByte(delta) * 250L;
                    delta += 1;
                    sink.packet(seq, true, arrival);
                } else if (symbol == LARGE_DELTA) {
                    if (delta + 2 > end) {
                        return -1;
                    }
                    arrival += buf.getShort(delta) * 250L;
                    delta += 2;
                    sink.packet(seq, true, arrival);
                } else {
                    return -1; // reserved symbol
                }
                reported++;
            }
        }
        return reported;
    }

    /** The feedback packet count (for detecting lost reports), or -1 if too short. */
    public static int feedbackCount(RtcpCompound packet) {
        return packet.length() < 20 ? -1 : packet.buffer().getUnsignedByte(packet.offset() + 19);
    }

    /** How many packet statuses one chunk carries. */
    private static int symbolsIn(int chunk) {
        if ((chunk & 0x8000) == 0) {
            return chunk & 0x1FFF; // run length
        }
        return (chunk & 0x4000) == 0 ? 14 : 7; // status vector of 1-bit or 2-bit symbols
    }

    private static int symbolAt(int chunk, int index) {
        if ((chunk & 0x8000) == 0) {
            return (chunk >>> 13) & 0x03;
        }
        if ((chunk & 0x4000) == 0) {
            return (chunk >>> (13 - index)) & 0x01;
        }
        return (chunk >>> (12 - 2 * index)) & 0x03;
    }
}
