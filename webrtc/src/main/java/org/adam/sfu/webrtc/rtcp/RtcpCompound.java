package org.adam.sfu.webrtc.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Walks the packets of a compound RTCP datagram (RFC 3550 6.1) without allocating: a reusable
 * cursor over [readerIndex, writerIndex). Each packet's header is checked (version 2, length
 * within the datagram); the walk stops at the first inconsistent one.
 */
public final class RtcpCompound {

    private ByteBuf buffer;
    private int next;
    private int end;
    private int offset;
    private int length;
    private int type;
    private int count;

    /** Starts walking {@code compound}; it is only read, never retained. */
    public RtcpCompound reset(ByteBuf compound) {
        this.buffer = compound;
        this.next = compound.readerIndex();
        this.end = compound.writerIndex();
        return this;
    }

    /** Moves to the next packet; false at the end or if the next header is malformed. */
    public boolean next() {
        if (next + 4 > end) {
            return false;
        }
        int first = buffer.getUnsignedByte(next);
        if ((first >>> 6) != 2) {
            return false;
        }
        int words = buffer.getUnsignedShort(next + 2);
        int bytes = (words + 1) * 4;
        if (next + bytes > end) {
            return false;
        }
        offset = next;
        length = bytes;
        type = buffer.getUnsignedByte(next + 1);
        count = first & 0x1F;
        next += bytes;
        return true;
    }

    public ByteBuf buffer() {
        return buffer;
    }

    /** Absolute index of the current packet's first byte. */
    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public int type() {
        return type;
    }

    /** Reception report count, source count, or feedback message type (FMT), by packet type. */
    public int countOrFormat() {
        return count;
    }

    /** The first SSRC field (sender SSRC), or 0 if the packet has none. */
    public int senderSsrc() {
        return length >= 8 ? buffer.getInt(offset + 4) : 0;
    }

    /** For RTPFB/PSFB: the media source SSRC (RFC 4585 6.1), or 0 if the packet is too short. */
    public int mediaSsrc() {
        return length >= 12 ? buffer.getInt(offset + 8) : 0;
    }
}
