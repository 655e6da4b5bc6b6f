package org.adam.sfu.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/** Reads what an SFU needs from a VP8 RTP payload (RFC 7741): whether it starts a keyframe. */
public final class Vp8Payload {

    private Vp8Payload() {
    }

    /**
     * True if the packet carries the first bytes of a VP8 keyframe: the payload descriptor says
     * start of partition 0 (S=1, PID=0) and the VP8 frame header's P bit is 0 (RFC 7741 4.2, 4.3).
     * False for anything malformed.
     */
    public static boolean isKeyframeStart(ByteBuf packet) {
        int p = RtpPacket.payloadStart(packet);
        if (p < 0) {
            return false;
        }
        int end = RtpPacket.payloadEnd(packet);
        int descriptor = packet.getUnsignedByte(p++);
        boolean start = (descriptor & 0x10) != 0 && (descriptor & 0x07) == 0;
        if (!start) {
            return false;
        }
        if ((descriptor & 0x80) != 0) { // X: extension byte follows
            if (p >= end) {
                return false;
            }
            int extension = packet.getUnsignedByte(p++);
            if ((extension & 0x80) != 0) { // I: picture id, 7 or 15 bits
                if (p >= end) {
                    return false;
                }
                p += (packet.getUnsignedByte(p) & 0x80) != 0 ? 2 : 1;
            }
            if ((extension & 0x40) != 0) { // L: TL0PICIDX
                p++;
            }
            if ((extension & 0x30) != 0) { // T or K: TID/Y/KEYIDX
                p++;
            }
        }
        return p < end && (packet.getUnsignedByte(p) & 0x01) == 0;
    }
}
