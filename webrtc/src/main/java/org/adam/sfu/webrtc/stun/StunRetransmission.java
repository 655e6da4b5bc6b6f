package org.adam.sfu.webrtc.stun;

/**
 * When a STUN client request is sent again and when it is given up (RFC 8489 section 6.2): over
 * UDP, sent at 0, RTO, 3 RTO, 7 RTO ... (Rc = 7 sends in all, the interval doubling), then given
 * up Rm = 16 RTO after the last send (39.5 s with RTO 500 ms); over TCP, sent once and given up
 * after Ti = 39.5 s. Times are passed in, in milliseconds.
 */
public final class StunRetransmission {

    public static final long DEFAULT_RTO_MILLIS = 500;
    static final int MAX_SENDS = 7;
    static final int LAST_WAIT_RTOS = 16;
    static final long RELIABLE_TIMEOUT_MILLIS = 39_500;

    private final boolean reliable;
    private final long rto;
    private int sends;
    private long interval;
    private long deadline;

    /**
     * @param reliable  true over TCP (no retransmissions)
     * @param rtoMillis the initial retransmission timeout over UDP
     * @param now       the time of the first send
     */
    public StunRetransmission(boolean reliable, long rtoMillis, long now) {
        this.reliable = reliable;
        this.rto = rtoMillis;
        this.sends = 1;
        this.interval = rtoMillis;
        this.deadline = now + (reliable ? RELIABLE_TIMEOUT_MILLIS : rtoMillis);
    }

    /** When {@link #onTimeout} must next be called. */
    public long deadline() {
        return deadline;
    }

    /**
     * Called at or after {@link #deadline()}: true if the request must be sent again now, false
     * if it has timed out for good (see {@link #expired()}).
     */
    public boolean onTimeout(long now) {
        if (reliable || sends >= MAX_SENDS) {
            sends = Integer.MAX_VALUE;
            return false;
        }
        sends++;
        interval *= 2;
        deadline = now + (sends == MAX_SENDS ? LAST_WAIT_RTOS * rto : interval);
        return true;
    }

    public boolean expired() {
        return sends == Integer.MAX_VALUE;
    }
}
