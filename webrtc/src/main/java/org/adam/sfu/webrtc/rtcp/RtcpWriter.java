package org.adam.sfu.webrtc.rtcp;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * Writes RTCP packets at the writer index of a caller-supplied buffer (which keeps ownership).
 * Several calls in a row build a compound packet.
 */
public final class RtcpWriter {

    private RtcpWriter() {
    }

    private static void header(ByteBuf out, int countOrFormat, int type, int lengthWords) {
        out.writeByte(0x80 | (countOrFormat & 0x1F));
        out.writeByte(type);
        out.writeShort(lengthWords);
    }

    /** Picture loss indication (RFC 4585 6.3.1). */
    public static void pli(ByteBuf out, int senderSsrc, int mediaSsrc) {
        header(out, RtcpPacketType.FMT_PLI, RtcpPacketType.PSFB, 2);
        out.writeInt(senderSsrc);
        out.writeInt(mediaSsrc);
    }

    /** Full intra request (RFC 5104 4.3.1) for one media SSRC. */
    public static void fir(ByteBuf out, int senderSsrc, int mediaSsrc, int commandSequence) {
        header(out, RtcpPacketType.FMT_FIR, RtcpPacketType.PSFB, 4);
        out.writeInt(senderSsrc);
        out.writeInt(0);
        out.writeInt(mediaSsrc);
        out.writeByte(commandSequence);
        out.writeZero(3);
    }

    /**
     * Generic NACK (RFC 4585 6.2.1) for {@code count} lost sequence numbers, given in sending
     * order (ascending modulo 2^16), packed into as few PID/BLP pairs as they allow.
     */
    public static void nack(ByteBuf out, int senderSsrc, int mediaSsrc, int[] lost, int count) {
        int start = out.writerIndex();
        header(out, RtcpPacketType.FMT_NACK, RtcpPacketType.RTPFB, 0);
        out.writeInt(senderSsrc);
        out.writeInt(mediaSsrc);
        int i = 0;
        while (i < count) {
            int pid = lost[i] & 0xFFFF;
            int blp = 0;
            i++;
            while (i < count) {
                int distance = (lost[i] - pid) & 0xFFFF;
                if (distance == 0) {
                    i++;
                    continue;
                }
                if (distance > 16) {
                    break;
                }
                blp |= 1 << (distance - 1);
                i++;
            }
            out.writeShort(pid);
            out.writeShort(blp);
        }
        out.setShort(start + 2, (out.writerIndex() - start) / 4 - 1);
    }

    /** Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb 2.2). */
    public static void remb(ByteBuf out, int senderSsrc, long bitrate, int[] ssrcs) {
        header(out, RtcpPacketType.FMT_APPLICATION, RtcpPacketType.PSFB, 4 + ssrcs.length);
        out.writeInt(senderSsrc);
        out.writeInt(0);
        out.writeInt(0x52454D42); // "REMB"
        int exponent = 0;
        long mantissa = Math.max(0, bitrate);
        while (mantissa > 0x3FFFF) {
            mantissa >>>= 1;
            exponent++;
        }
        out.writeByte(ssrcs.length);
        out.writeByte((exponent << 2) | (int) (mantissa >>> 16));
        out.writeShort((int) mantissa);
        for (int ssrc : ssrcs) {
            out.writeInt(ssrc);
        }
    }

    /** One reception report block (RFC 3550 6.4.1). */
    public record ReportBlock(int ssrc, int fractionLost, long cumulativeLost, long extendedHighestSequence,
                              long jitter, long lastSr, long delaySinceLastSr) {
    }

    /** Receiver report (RFC 3550 6.4.2) with up to 31 blocks. */
    public static void receiverReport(ByteBuf out, int senderSsrc, ReportBlock... blocks) {
        header(out, blocks.length, RtcpPacketType.RR, 1 + 6 * blocks.length);
        out.writeInt(senderSsrc);
        for (ReportBlock block : blocks) {
            writeBlock(out, block);
        }
    }

    /** Sender report (RFC 3550 6.4.1) without report blocks. */
    public static void senderReport(ByteBuf out, int senderSsrc, long ntpTimestamp, long rtpTimestamp,
                                    long packetCount, long octetCount) {
        header(out, 0, RtcpPacketType.SR, 6);
        out.writeInt(senderSsrc);
        out.writeLong(ntpTimestamp);
        out.writeInt((int) rtpTimestamp);
        out.writeInt((int) packetCount);
        out.writeInt((int) octetCount);
    }

    /** SDES with one CNAME chunk (RFC 3550 6.5). */
    public static void sdesCname(ByteBuf out, int ssrc, String cname) {
        byte[] text = cname.getBytes(StandardCharsets.UTF_8);
        int itemBytes = 2 + Math.min(255, text.length);
        int chunkBytes = 4 + itemBytes + 1; // + the terminating null item
        int padded = (chunkBytes + 3) & ~3;
        header(out, 1, RtcpPacketType.SDES, padded / 4);
        out.writeInt(ssrc);
        out.writeByte(1); // CNAME
        out.writeByte(itemBytes - 2);
        out.writeBytes(text, 0, itemBytes - 2);
        out.writeZero(padded - 4 - itemBytes);
    }

    /** BYE for one SSRC (RFC 3550 6.6). */
    public static void bye(ByteBuf out, int ssrc) {
        header(out, 1, RtcpPacketType.BYE, 1);
        out.writeInt(ssrc);
    }

    private static void writeBlock(ByteBuf out, ReportBlock block) {
        out.writeInt(block.ssrc());
        out.writeByte(block.fractionLost());
        out.writeMedium((int) (block.cumulativeLost() & 0xFFFFFF));
        out.writeInt((int) block.extendedHighestSequence());
        out.writeInt((int) block.jitter());
        out.writeInt((int) block.lastSr());
        out.writeInt((int) block.delaySinceLastSr());
    }
}
