package org.adam.sfu.webrtc.sdp;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one publish offer costs the node as it grows to the largest the parser takes: an audio
 * m-line with as many distinct `a=ssrc` lines as fit in a quarter of, and in all of,
 * {@link SessionDescription#MAX_LENGTH}. Linear work makes the full offer about four times the
 * quarter; quadratic work (a list look-up per line, as once) made it sixteen times and seconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OfferNegotiationBenchmark {

    private static final LocalTransportParams LOCAL = new LocalTransportParams("benchufr",
            "benchpasswordbenchpasswd", "AA:BB:CC", "127.0.0.1", 40000);

    /** The offer's length as a share of the parser's limit. */
    @Param({"quarter", "full"})
    public String size;

    private String offer;

    @Setup
    public void makeOffer() {
        int limit = SessionDescription.MAX_LENGTH - 32;
        offer = offerWithSsrcs(size.equals("full") ? limit : limit / 4);
    }

    @Benchmark
    public PublishAnswer answer() throws Exception {
        return PublishNegotiator.answer(offer, LOCAL, List.of());
    }

    static String offerWithSsrcs(int length) {
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
