package org.adam.sfu.webrtc.forward;

/**
 * Uplink loss on one published video stream, seen as a jump in the publisher's sequence numbers:
 * which packets are missing, so the node asks for them at once and has them cached (and forwarded
 * to whoever NACKs them) before most receivers even notice. Jumps longer than
 * {@value #MAX_GAP} packets are a restart, not loss; duplicates and late packets (perhaps the
 * retransmissions asked for) are not loss either.
 *
 * <p>Owned by one {@link TrackForwarder}; media event loop only. Pure sequence arithmetic modulo
 * 2^16; the list of missing numbers is a reused array, allocated at the first gap.
 */
final class UplinkLossDetector {

    static final int MAX_GAP = 64;

    private int highestSeq = -1;
    private int[] missing;

    /**
     * Publisher packet {@code seq} arrived.
     *
     * @return how many packets just before it are missing (0 for none, or for a restart); their
     *         sequence numbers are the first that many of {@link #missing()}
     */
    int onPacket(int seq) {
        if (highestSeq < 0) {
            highestSeq = seq;
            return 0;
        }
        int ahead = (seq - highestSeq) & 0xFFFF;
        if (ahead == 0 || ahead >= 0x8000) {
            return 0; // a duplicate, or a late packet
        }
        int count = 0;
        if (ahead > 1 && ahead <= MAX_GAP + 1) {
            if (missing == null) {
                missing = new int[MAX_GAP];
            }
            count = ahead - 1;
            for (int i = 0; i < count; i++) {
                missing[i] = (highestSeq + 1 + i) & 0xFFFF;
            }
        }
        highestSeq = seq;
        return count;
    }

    /** The missing sequence numbers {@link #onPacket} counted; valid until its next call. */
    int[] missing() {
        return missing;
    }
}
