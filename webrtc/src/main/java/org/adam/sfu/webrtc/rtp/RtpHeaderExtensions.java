package org.adam.sfu.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * RFC 8285 header extension elements, one-byte (profile 0xBEDE) and two-byte (0x100X) forms,
 * read and rewritten in place without allocation. A {@link Cursor} walks the elements; keep
 * one per thread and reuse it.
 */
public final class RtpHeaderExtensions {

    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    public static final int TWO_BYTE_PROFILE_MASK = 0xFFF0;
    public static final int TWO_BYTE_PROFILE = 0x1000;

    private RtpHeaderExtensions() {
    }

    /** Iterates the elements of one packet's extension block. */
    public static final class Cursor {
        private ByteBuf packet;
        private boolean twoByte;
        private int position;
        private int end;
        private int id;
        private int dataOffset;
        private int dataLength;

        /** Starts over on {@code packet}; false if it has no (or no RFC 8285) extension block. */
        public boolean reset(ByteBuf packet) {
            this.packet = packet;
            int header = RtpPacket.headerLength(packet);
            // The extension bit may be read only once the header is known to be there.
            int ext = header < 0 ? -1 : RtpPacket.extensionOffset(packet);
            if (header < 0 || ext < 0) {
                end = position = 0;
                return false;
            }
            int profile = packet.getUnsignedShort(packet.readerIndex() + ext);
            if (profile == ONE_BYTE_PROFILE) {
                twoByte = false;
            } else if ((profile & TWO_BYTE_PROFILE_MASK) == TWO_BYTE_PROFILE) {
                twoByte = true;
            } else {
                end = position = 0;
                return false;
            }
            position = packet.readerIndex() + ext + 4;
            end = packet.readerIndex() + header;
            return true;
        }

        /** Advances to the next element; false at the end or on a malformed element. */
        public boolean next() {
            while (position < end) {
                int first = packet.getUnsignedByte(position);
                if (first == 0) {
                    position++; // padding between elements
                    continue;
                }
                if (twoByte) {
                    if (position + 2 > end) {
                        return false;
                    }
                    id = first;
                    dataLength = packet.getUnsignedByte(position + 1);
                    dataOffset = position + 2;
                } else {
                    id = first >>> 4;
                    if (id == 15) {
                        return false; // RFC 8285 4.2: stop processing the extension block
                    }
                    dataLength = (first & 0x0F) + 1;
                    dataOffset = position + 1;
                }
                if (dataOffset + dataLength > end) {
                    return false;
                }
                position = dataOffset + dataLength;
                return true;
            }
            return false;
        }

        public int id() {
            return id;
        }

        /** Absolute index of the element's data in the packet buffer. */
        public int dataOffset() {
            return dataOffset;
        }

        public int dataLength() {
            return dataLength;
        }

        /** Renumbers the current element in place (e.g. to the receiver's negotiated id). */
        public void rewriteId(int newId) {
            if (twoByte) {
                packet.setByte(dataOffset - 2, newId);
            } else {
                packet.setByte(dataOffset - 1, (newId << 4) | (dataLength - 1));
            }
        }
    }

    /**
     * Finds element {@code id} and returns {@code (absoluteOffset << 8) | length}, or -1 if absent.
     * Uses {@code cursor} as scratch.
     */
    public static long find(ByteBuf packet, int id, Cursor cursor) {
        if (!cursor.reset(packet)) {
            return -1;
        }
        while (cursor.next()) {
            if (cursor.id() == id) {
                return ((long) cursor.dataOffset() << 8) | cursor.dataLength();
            }
        }
        return -1;
    }
}
