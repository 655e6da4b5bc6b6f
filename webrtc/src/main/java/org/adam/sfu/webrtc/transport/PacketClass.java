package org.adam.sfu.webrtc.transport;

/**
 * RFC 7983 section 7: the first byte of a datagram on a multiplexed WebRTC port says which
 * protocol it belongs to. RTP and RTCP share 128..191 and are split by payload type (RFC 5761 4).
 */
enum PacketClass {
    STUN, DTLS, RTP, RTCP, UNKNOWN;

    static PacketClass of(int firstByte, int secondByte) {
        if (firstByte <= 3) {
            return STUN;
        }
        if (firstByte >= 20 && firstByte <= 63) {
            return DTLS;
        }
        if (firstByte >= 128 && firstByte <= 191) {
            // RTCP packet types 192..223 (FIR..XR range incl. SR 200 / RR 201 / feedback 205, 206)
            // collide with RTP payload types 64..95 with the marker bit set, which WebRTC never uses.
            return secondByte >= 192 && secondByte <= 223 ? RTCP : RTP;
        }
        return UNKNOWN;
    }
}
