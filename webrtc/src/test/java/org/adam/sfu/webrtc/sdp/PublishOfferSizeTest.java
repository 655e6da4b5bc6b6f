package org.adam.sfu.webrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * An offer as large as the parser takes is negotiated whole: every one of its SSRCs is read. What
 * it costs as it grows (linear, not quadratic) is measured by bench's OfferNegotiationBenchmark
 * (`scripts/bench-jmh.sh`, docs/benchmarks.md), not timed here.
 */
class PublishOfferSizeTest {

    private static final LocalTransportParams LOCAL = new LocalTransportParams("fuzzufrg",
            "fuzzpasswordfuzzpassword", "AA:BB:CC", "127.0.0.1", 40000);

    @Test
    void anOfferAsLargeAsTheParserTakesIsNegotiatedWithEverySsrc() throws Exception {
        String full = offerWithSsrcs(SessionDescription.MAX_LENGTH - 32);
        long lines = full.lines().filter(line -> line.startsWith("a=ssrc:")).count();
        assertThat(lines).isGreaterThan(15_000);
        assertThat(PublishNegotiator.answer(full, LOCAL, List.of()).media().get(0).ssrcs()).hasSize((int) lines);
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
