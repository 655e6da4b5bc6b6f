package org.adam.sfu.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Reads what an SFU needs from an AV1 RTP payload (RTP Payload Format for AV1, AOMedia,
 * https://aomediacodec.github.io/av1-rtp-spec/): whether it starts a keyframe.
 */
public final class Av1Payload {

    private static final int Z = 0x80;
    private static final int N = 0x08;

    private Av1Payload() {
    }

    /**
     * True if the aggregation header (Z|Y|W|W|N|-|-|-, spec 4.4) says this is the first packet of
     * a coded video sequence (N=1) and the first OBU element is not the continuation of an OBU
     * fragment from a previous packet (Z=0), with at least one byte after the header.
     *
     * <p>This is all the payload format itself says about keyframes: N marks the start of a coded
     * video sequence, which begins with a sequence header and a key frame. Finer decisions (a
     * keyframe of one spatial layer, decode targets, switching points) need the dependency
     * descriptor header extension, which this does not read. False for anything malformed.
     */
    public static boolean isKeyframeStart(ByteBuf packet) {
        int p = RtpPacket.payloadStart(packet);
        if (p < 0 || p + 1 >= RtpPacket.payloadEnd(packet)) {
            return false; // the aggregation header and at least one byte of OBU data
        }
        int aggregation = packet.getUnsignedByte(p);
        return (aggregation & N) != 0 && (aggregation & Z) == 0;
    }
}
