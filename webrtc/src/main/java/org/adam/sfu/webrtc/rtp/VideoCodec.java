package org.adam.sfu.webrtc.rtp;

import java.util.Locale;

import io.netty.buffer.ByteBuf;

/**
 * The video codecs the node forwards, and what it must read of each one's RTP payload: whether a
 * packet starts a keyframe (a receiver can start decoding there).
 */
public enum VideoCodec {
    VP8,
    VP9,
    H264,
    AV1;

    /** The codec of an rtpmap encoding name (case-insensitive), or null for anything else. */
    public static VideoCodec fromName(String encodingName) {
        return switch (encodingName.toUpperCase(Locale.ROOT)) {
            case "VP8" -> VP8;
            case "VP9" -> VP9;
            case "H264" -> H264;
            case "AV1" -> AV1;
            default -> null;
        };
    }

    /**
     * True if {@code rtpPacket} (a whole RTP packet, reader index at its first byte) carries the
     * first bytes of a keyframe of this codec. False for anything malformed. Reads only.
     */
    public boolean isKeyframeStart(ByteBuf rtpPacket) {
        return switch (this) {
            case VP8 -> Vp8Payload.isKeyframeStart(rtpPacket);
            case VP9 -> Vp9Payload.isKeyframeStart(rtpPacket);
            case H264 -> H264Payload.isKeyframeStart(rtpPacket);
            case AV1 -> Av1Payload.isKeyframeStart(rtpPacket);
        };
    }
}
