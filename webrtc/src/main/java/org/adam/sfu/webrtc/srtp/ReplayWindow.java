package org.adam.sfu.webrtc.srtp;

/**
 * RFC 3711 section 3.3.2 replay protection over a 128-packet window behind the highest index
 * seen (libsrtp's size; the RFC's minimum is 64). Check before authenticating, update after.
 */
final class ReplayWindow {

    static final int SIZE = 128;

    private final boolean[] seen = new boolean[SIZE];
    private long highest = -1;

    boolean isReplayOrTooOld(long index) {
        if (highest < 0 || index > highest) {
            return false;
        }
        if (highest - index >= SIZE) {
            return true;
        }
        return seen[(int) (index % SIZE)];
    }

    void accept(long index) {
        if (index > highest) {
            long clear = highest < 0 ? index : Math.max(highest + 1, index - SIZE + 1);
            for (long i = clear; i < index; i++) {
                seen[(int) (i % SIZE)] = false;
            }
            highest = index;
        }
        seen[(int) (index % SIZE)] = true;
    }
}
