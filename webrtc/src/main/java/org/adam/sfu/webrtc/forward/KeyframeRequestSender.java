package org.adam.sfu.webrtc.forward;

/**
 * Asks one publisher stream for keyframes: coalesced by a {@link KeyframeRequester} (at most one
 * request per interval, a later one deferred to its end), sent as PLI, or as FIR (RFC 5104 4.3.1)
 * for a publisher that offered only `ccm fir`, and counted.
 *
 * <p>Owned by one {@link TrackForwarder}, which decides whether there is anyone to ask; media
 * event loop only; time is the caller's {@code nowNanos}.
 */
final class KeyframeRequestSender {

    /** The publisher; null in tests and benchmarks, where requests are only counted. */
    private final PublisherLink publisher;
    private final KeyframeRequester coalescing = new KeyframeRequester();
    private boolean byFir;
    private int firSequence;
    private long sent;

    KeyframeRequestSender(PublisherLink publisher) {
        this.publisher = publisher;
    }

    /** Someone needs a keyframe of stream {@code ssrc}: asks now, or owes a request at the interval's end. */
    void request(int ssrc, long nowNanos) {
        if (coalescing.request(nowNanos)) {
            send(ssrc);
        }
    }

    /** Sends the request owed, if its time has come. */
    void flushDue(int ssrc, long nowNanos) {
        if (coalescing.takeDue(nowNanos)) {
            send(ssrc);
        }
    }

    /** Whether a request is owed for later. */
    boolean hasDeferred() {
        return coalescing.hasDeferred();
    }

    private void send(int ssrc) {
        sent++;
        if (publisher == null) {
            return; // a forwarder under test: counted only
        }
        publisher.sendRtcp(byFir ? RtcpMessages.fir(publisher.allocator(), ssrc, firSequence++ & 0xFF)
                : RtcpMessages.pli(publisher.allocator(), ssrc));
        publisher.counters().keyframeRequestsSent.increment();
    }

    /** Ask with FIR instead of PLI. */
    void useFir(boolean fir) {
        this.byFir = fir;
    }

    /** Requests sent since the stream began. */
    long sent() {
        return sent;
    }
}
