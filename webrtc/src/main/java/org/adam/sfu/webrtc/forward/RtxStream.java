package org.adam.sfu.webrtc.forward;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One receiver's retransmission stream (RFC 4588): its SSRC and payload type as negotiated, and
 * its own sequence numbers, which start at random (RFC 3550 5.1) and count every retransmission
 * and padding probe. Owned by one {@link DownTrack}; media event loop only.
 */
final class RtxStream {

    private int ssrc;
    private int payloadType = -1;
    private int nextSequence = ThreadLocalRandom.current().nextInt(0x10000);

    /** The receiver takes retransmissions on {@code ssrc} with {@code payloadType}; -1 turns them off. */
    void set(int ssrc, int payloadType) {
        this.ssrc = ssrc;
        this.payloadType = payloadType;
    }

    boolean enabled() {
        return payloadType >= 0;
    }

    int ssrc() {
        return ssrc;
    }

    int payloadType() {
        return payloadType;
    }

    /** The sequence number of the next packet on this stream. */
    int takeSequence() {
        return nextSequence++ & 0xFFFF;
    }
}
