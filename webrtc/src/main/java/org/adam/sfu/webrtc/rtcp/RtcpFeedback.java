package org.adam.sfu.webrtc.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Readers for the feedback and report packets an SFU acts on, working on the packet the
 * {@link RtcpCompound} cursor points at. Nothing here allocates.
 */
public final class RtcpFeedback {

    private RtcpFeedback() {
    }

    /** Receives the sequence numbers a generic NACK reports lost. */
    @FunctionalInterface
    public interface LostPacketSink {
        void lost(int sequenceNumber);
    }

    /**
     * Expands a generic NACK's PID/BLP pairs (RFC 4585 6.2.1) into lost sequence numbers.
     * @return how many were reported
     */
    public static int forEachNacked(RtcpCompound packet, LostPacketSink sink) {
        ByteBuf buf = packet.buffer();
        int reported = 0;
        for (int fci = packet.offset() + 12; fci + 4 <= packet.offset() + packet.length(); fci += 4) {
            int pid = buf.getUnsignedShort(fci);
            int blp = buf.getUnsignedShort(fci + 2);
            sink.lost(pid);
            reported++;
            for (int bit = 0; bit < 16; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    sink.lost((pid + bit + 1) & 0xFFFF);
                    reported++;
                }
            }
        }
        return reported;
    }

    /** The SSRCs a FIR asks keyframes of (RFC 5104 4.3.1.1), passed one by one. */
    public static void forEachFirTarget(RtcpCompound packet, java.util.function.IntConsumer target) {
        ByteBuf buf = packet.buffer();
        for (int fci = packet.offset() + 12; fci + 8 <= packet.offset() + packet.length(); fci += 8) {
            target.accept(buf.getInt(fci));
        }
    }

    /** REMB bitrate in bits/s (draft-alvestrand-rmcat-remb 2.2), or -1 if not a REMB. */
    public static long rembBitrate(RtcpCompound packet) {
        ByteBuf buf = packet.buffer();
        int o = packet.offset();
        if (packet.length() < 20 || buf.getInt(o + 12) != 0x52454D42) { // "REMB"
            return -1;
        }
        int exponent = buf.getUnsignedByte(o + 17) >>> 2;
        long mantissa = ((buf.getUnsignedByte(o + 17) & 0x03L) << 16) | buf.getUnsignedShort(o + 18);
        return exponent > 46 ? Long.MAX_VALUE : mantissa << exponent;
    }

    /** The middle 32 bits of a sender report's NTP timestamp (the LSR of RFC 3550 6.4.1). */
    public static long senderReportNtpMiddle(RtcpCompound packet) {
        if (packet.length() < 28) {
            return -1;
        }
        return packet.buffer().getUnsignedInt(packet.offset() + 10);
    }
}
