package org.adam.sfu.webrtc.srtp;

/**
 * The 32-bit rollover counter of one SRTP stream and the highest sequence number seen with it:
 * together the 48-bit packet index (RFC 3711 3.3.1). Estimation follows appendix A.
 */
final class RolloverCounter {

    private int roc;
    private int highestSeq = -1;

    /** The rollover period {@code seq} most likely belongs to. */
    int estimate(int seq) {
        if (highestSeq < 0) {
            return roc;
        }
        if (highestSeq < 0x8000) {
            return seq - highestSeq > 0x8000 && roc > 0 ? roc - 1 : roc;
        }
        return highestSeq - 0x8000 > seq ? roc + 1 : roc;
    }

    /** Records an accepted (authenticated, or sent) packet. */
    void update(int estimatedRoc, int seq) {
        if (highestSeq < 0 || estimatedRoc > roc) {
            roc = estimatedRoc;
            highestSeq = seq;
        } else if (estimatedRoc == roc && seq > highestSeq) {
            highestSeq = seq;
        }
    }
}
