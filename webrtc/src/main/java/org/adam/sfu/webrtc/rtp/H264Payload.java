package org.adam.sfu.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Reads what an SFU needs from an H.264 RTP payload (RFC 6184, packetization-mode 1): whether it
 * starts a keyframe.
 */
public final class H264Payload {

    private static final int IDR = 5;
    private static final int SPS = 7;
    private static final int STAP_A = 24;
    private static final int FU_A = 28;

    private H264Payload() {
    }

    /**
     * True if the packet starts an IDR picture or a sequence parameter set: a single NAL unit of
     * type 5 (IDR slice) or 7 (SPS), a STAP-A with such a unit among its aggregated NAL units, or
     * the first fragment (S=1) of an FU-A whose fragmented unit is of type 5 or 7.
     *
     * <p>An SPS counts because encoders send the SPS and PPS right before each IDR picture, in the
     * same access unit (alone, or aggregated in a STAP-A ahead of the IDR's fragments): the SPS
     * packet is where a receiver gets everything it needs to decode the keyframe, and one that
     * starts later lacks the parameter sets. libwebrtc's H.264 depacketizer marks packets with an
     * SPS or an IDR slice as keyframe packets, and mediasoup takes the SPS as its keyframe mark.
     * An IDR slice on its own counts for senders that carry the parameter sets out of band
     * (sprop-parameter-sets) or less often.
     *
     * <p>Within one keyframe this also accepts the later packets that begin an IDR slice or repeat
     * the SPS; the first accepted one is where to switch. An access unit may open with an access
     * unit delimiter or SEI packet that cannot be told apart from a delta frame's; the SPS packet
     * after it is then the first accepted, and decoding can start there. False for anything
     * malformed.
     */
    public static boolean isKeyframeStart(ByteBuf packet) {
        int p = RtpPacket.payloadStart(packet);
        if (p < 0) {
            return false;
        }
        int end = RtpPacket.payloadEnd(packet);
        int type = packet.getUnsignedByte(p) & 0x1F;
        return switch (type) {
            case IDR, SPS -> true;
            case STAP_A -> stapAHasKeyframeUnit(packet, p + 1, end);
            case FU_A -> fuAStartsKeyframeUnit(packet, p, end);
            default -> false;
        };
    }

    /** Whether the FU-A at {@code p} is the first fragment (S=1) of an IDR slice or an SPS. */
    private static boolean fuAStartsKeyframeUnit(ByteBuf packet, int p, int end) {
        if (p + 2 > end) {
            return false;
        }
        int fuHeader = packet.getUnsignedByte(p + 1);
        int type = fuHeader & 0x1F;
        return (fuHeader & 0x80) != 0 && (type == IDR || type == SPS);
    }

    /**
     * Walks the STAP-A units (16-bit size, then the NAL unit) from {@code p}: true at the first
     * unit of type 5 or 7 that lies within {@code end}; false at an empty unit or one whose size
     * runs past the payload.
     */
    private static boolean stapAHasKeyframeUnit(ByteBuf packet, int p, int end) {
        while (p + 2 < end) {
            int size = packet.getUnsignedShort(p);
            p += 2;
            if (size == 0 || size > end - p) {
                return false;
            }
            int type = packet.getUnsignedByte(p) & 0x1F;
            if (type == IDR || type == SPS) {
                return true;
            }
            p += size;
        }
        return false;
    }
}
