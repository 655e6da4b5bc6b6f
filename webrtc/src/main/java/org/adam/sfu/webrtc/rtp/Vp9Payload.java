package org.adam.sfu.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/** Reads what an SFU needs from a VP9 RTP payload (RFC 9628): whether it starts a keyframe. */
public final class Vp9Payload {

    private static final int I = 0x80;
    private static final int P = 0x40;
    private static final int L = 0x20;
    private static final int F = 0x10;
    private static final int B = 0x08;
    private static final int V = 0x02;

    private Vp9Payload() {
    }

    /**
     * True if the packet carries the first bytes of a VP9 keyframe: the payload descriptor (RFC
     * 9628 4.2) says not inter-picture predicted (P=0) and start of a frame (B=1) and, when layer
     * indices are present, spatial layer 0 (SID=0). The descriptor, and the scalability structure
     * if V=1, must fit in the payload with at least one byte of frame data after them. False for
     * anything malformed.
     */
    public static boolean isKeyframeStart(ByteBuf packet) {
        int p = RtpPacket.payloadStart(packet);
        if (p < 0) {
            return false;
        }
        int end = RtpPacket.payloadEnd(packet);
        int descriptor = packet.getUnsignedByte(p++);
        if ((descriptor & P) != 0 || (descriptor & B) == 0) {
            return false;
        }
        if ((descriptor & I) != 0) { // picture id: 7 bits, or 15 when M is set
            if (p >= end) {
                return false;
            }
            p += (packet.getUnsignedByte(p) & 0x80) != 0 ? 2 : 1;
        }
        if ((descriptor & L) != 0) { // TID|U|SID|D, then TL0PICIDX in non-flexible mode
            if (p >= end) {
                return false;
            }
            int sid = (packet.getUnsignedByte(p++) >>> 1) & 0x07;
            if (sid != 0) {
                return false;
            }
            if ((descriptor & F) == 0) {
                p++;
            }
        }
        // P=0, so no P_DIFF bytes even in flexible mode.
        if ((descriptor & V) != 0) {
            p = skipScalabilityStructure(packet, p, end);
            if (p < 0) {
                return false;
            }
        }
        return p < end;
    }

    /**
     * Index after the scalability structure (RFC 9628 4.2.1) at {@code p}, or -1 if it does not
     * fit before {@code end}.
     */
    private static int skipScalabilityStructure(ByteBuf packet, int p, int end) {
        if (p >= end) {
            return -1;
        }
        int ss = packet.getUnsignedByte(p++);
        int spatialLayers = (ss >>> 5) + 1; // N_S is the count minus one
        if ((ss & 0x10) != 0) { // Y: WIDTH and HEIGHT, 16 bits each, per spatial layer
            p += 4 * spatialLayers;
        }
        if ((ss & 0x08) != 0) { // G: N_G picture group descriptions
            if (p >= end) {
                return -1;
            }
            int pictures = packet.getUnsignedByte(p++);
            for (int i = 0; i < pictures; i++) {
                if (p >= end) {
                    return -1;
                }
                int references = (packet.getUnsignedByte(p++) >>> 2) & 0x03; // R
                p += references; // one P_DIFF byte each
            }
        }
        return p <= end ? p : -1;
    }
}
