package org.adam.sfu.webrtc.forward;

import java.util.Arrays;

/**
 * Which packets of the forwarded layer pass, by publisher sequence number: each newer than all
 * before it, and a late one only if this receiver NACKed it, once. A late packet is a
 * retransmission the node asked the publisher for; one nobody here asked for must not go out
 * twice (the same SRTP index twice is a replay to the receiver).
 *
 * <p>Owned by one {@link DownTrack}; media event loop only. Remembers the last
 * {@value #NACK_MEMORY} NACKed sequence numbers; allocates nothing after construction.
 */
final class SequenceGate {

    static final int NACK_MEMORY = 64;

    private int highestSeq = -1;
    private final int[] nacked = new int[NACK_MEMORY];
    private int nackedNext;

    SequenceGate() {
        Arrays.fill(nacked, -1);
    }

    /** Whether publisher packet {@code seq} passes (see the class comment). */
    boolean admits(int seq) {
        if (highestSeq < 0) {
            highestSeq = seq;
            return true;
        }
        int ahead = (seq - highestSeq) & 0xFFFF;
        if (ahead != 0 && ahead < 0x8000) {
            highestSeq = seq;
            return true;
        }
        for (int i = 0; i < NACK_MEMORY; i++) {
            if (nacked[i] == seq) {
                nacked[i] = -1;
                return true;
            }
        }
        return false;
    }

    /** Forwarding (re)starts at {@code seq}: NACKs of what came before are forgotten. */
    void restartAt(int seq) {
        highestSeq = seq;
        Arrays.fill(nacked, -1);
    }

    /** The receiver NACKed publisher sequence {@code seq}: its late arrival may pass once. */
    void rememberNack(int seq) {
        nacked[nackedNext] = seq;
        nackedNext = (nackedNext + 1) % NACK_MEMORY;
    }
}
