package org.adam.sfu.webrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Offers as large as the parser takes cost the negotiation little: its work grows linearly with
 * the offer, so a client cannot make the node spend seconds on one offer.
 */
class PublishOfferSizeTest {

    private static final LocalTransportParams LOCAL = new LocalTransportParams("fuzzufrg",
            "fuzzpasswordfuzzpassword", "AA:BB:CC", "127.0.0.1", 40000);

    @Test
    void negotiationTimeGrowsLinearlyWithTheNumberOfSsrcs() throws Exception {
        String full = offerWithSsrcs(SessionDescription.MAX_LENGTH - 32);
        String quarter = offerWithSsrcs((SessionDescription.MAX_LENGTH - 32) / 4);
        assertThat(PublishNegotiator.answer(full, LOCAL, List.of()).media().get(0).ssrcs()).hasSizeGreaterThan(15_000);

        // Compiled first, then the fastest of several alternating runs: a busy machine slows single
        // runs, and only the ratio of the least disturbed ones says how the work grows.
        fastestOf(2, full);
        fastestOf(2, quarter);
        long fullNanos = Long.MAX_VALUE;
        long quarterNanos = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            fullNanos = Math.min(fullNanos, fastestOf(1, full));
            quarterNanos = Math.min(quarterNanos, fastestOf(1, quarter));
        }
        // Four times the SSRCs: about four times the work when linear, sixteen when quadratic
        // (list look-ups per a=ssrc line, as before, took seconds for the full offer).
        assertThat((double) fullNanos / quarterNanos).as("time ratio for 4x the SSRCs").isLessThan(8.0);
    }

    private static long fastestOf(int runs, String offer) throws Exception {
        long fastest = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long started = System.nanoTime();
            PublishNegotiator.answer(offer, LOCAL, List.of());
            fastest = Math.min(fastest, System.nanoTime() - started);
        }
        return fastest;
    }

    /** One sending audio m-line with as many distinct a=ssrc lines as fit in {@code length}. */
    private static String offerWithSsrcs(int length) {
        StringBuilder offer = new StringBuilder("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
                + "a=fingerprint:sha-256 AA:BB\r\na=setup:actpass\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\na=rtcp-mux\r\n"
                + "a=sendonly\r\n");
        for (int ssrc = 1; offer.length() < length; ssrc++) {
            offer.append("a=ssrc:").append(ssrc).append("\r\n");
        }
        return offer.toString();
    }
}
