package org.adam.sfu.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Allocation-free view of an RTP packet (RFC 3550 section 5.1) held in a ByteBuf at
 * [readerIndex, writerIndex). Readers assume {@link #headerLength} was checked non-negative;
 * setters rewrite the header in place.
 */
public final class RtpPacket {

    public static final int FIXED_HEADER = 12;

    private RtpPacket() {
    }

    /**
     * Fixed header + CSRCs + header extension, or -1 if the packet is not a consistent RTP packet
     * (wrong version, too short for what its header claims).
     */
    public static int headerLength(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        if (length < FIXED_HEADER) {
            return -1;
        }
        int first = packet.getUnsignedByte(start);
        if ((first >>> 6) != 2) {
            return -1;
        }
        int header = FIXED_HEADER + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (length < header + 4) {
                return -1;
            }
            header += 4 + 4 * packet.getUnsignedShort(start + header + 2);
        }
        return header <= length ? header : -1;
    }

    /** Whether the header is consistent and the padding (if any) fits in the payload. */
    public static boolean isValid(ByteBuf packet) {
        int header = headerLength(packet);
        return header >= 0 && paddingLength(packet) <= packet.readableBytes() - header;
    }

    public static int version(ByteBuf packet) {
        return packet.getUnsignedByte(packet.readerIndex()) >>> 6;
    }

    public static boolean hasPadding(ByteBuf packet) {
        return (packet.getByte(packet.readerIndex()) & 0x20) != 0;
    }

    public static boolean hasExtension(ByteBuf packet) {
        return (packet.getByte(packet.readerIndex()) & 0x10) != 0;
    }

    public static int csrcCount(ByteBuf packet) {
        return packet.getByte(packet.readerIndex()) & 0x0F;
    }

    public static boolean marker(ByteBuf packet) {
        return (packet.getByte(packet.readerIndex() + 1) & 0x80) != 0;
    }

    public static int payloadType(ByteBuf packet) {
        return packet.getByte(packet.readerIndex() + 1) & 0x7F;
    }

    public static int sequenceNumber(ByteBuf packet) {
        return packet.getUnsignedShort(packet.readerIndex() + 2);
    }

    public static long timestamp(ByteBuf packet) {
        return packet.getUnsignedInt(packet.readerIndex() + 4);
    }

    public static int ssrc(ByteBuf packet) {
        return packet.getInt(packet.readerIndex() + 8);
    }

    /** Padding bytes at the end (RFC 3550 5.1 P bit), 0 if none. */
    /**
     * The absolute index of the payload's first byte, or -1 for a malformed packet or one with no
     * payload before its padding. Codec payload readers start here and read up to {@link #payloadEnd}.
     */
    public static int payloadStart(ByteBuf packet) {
        int header = headerLength(packet);
        if (header < 0) {
            return -1;
        }
        int start = packet.readerIndex() + header;
        return start < payloadEnd(packet) ? start : -1;
    }

    /** The absolute index just past the payload: the packet's end less its RTP padding. */
    public static int payloadEnd(ByteBuf packet) {
        return packet.writerIndex() - paddingLength(packet);
    }

    public static int paddingLength(ByteBuf packet) {
        if (!hasPadding(packet) || !packet.isReadable()) {
            return 0;
        }
        return packet.getUnsignedByte(packet.writerIndex() - 1);
    }

    /** Offset of the payload relative to readerIndex, or -1 if the header is inconsistent. */
    public static int payloadOffset(ByteBuf packet) {
        return headerLength(packet);
    }

    /** Payload length without padding, or -1 if inconsistent. */
    public static int payloadLength(ByteBuf packet) {
        int header = headerLength(packet);
        if (header < 0) {
            return -1;
        }
        int payload = packet.readableBytes() - header - paddingLength(packet);
        return payload >= 0 ? payload : -1;
    }

    /** Offset (relative to readerIndex) of the header extension's profile word, or -1 if none. */
    public static int extensionOffset(ByteBuf packet) {
        if (!hasExtension(packet)) {
            return -1;
        }
        return FIXED_HEADER + 4 * csrcCount(packet);
    }

    public static void setMarker(ByteBuf packet, boolean marker) {
        int index = packet.readerIndex() + 1;
        int value = packet.getUnsignedByte(index);
        packet.setByte(index, marker ? value | 0x80 : value & 0x7F);
    }

    public static void setPayloadType(ByteBuf packet, int payloadType) {
        int index = packet.readerIndex() + 1;
        packet.setByte(index, (packet.getByte(index) & 0x80) | (payloadType & 0x7F));
    }

    public static void setSequenceNumber(ByteBuf packet, int seq) {
        packet.setShort(packet.readerIndex() + 2, seq);
    }

    public static void setTimestamp(ByteBuf packet, long timestamp) {
        packet.setInt(packet.readerIndex() + 4, (int) timestamp);
    }

    public static void setSsrc(ByteBuf packet, int ssrc) {
        packet.setInt(packet.readerIndex() + 8, ssrc);
    }
}
