package org.adam.sfu.webrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of SDP (RFC 8866) as a publisher's offer reaches the node: the parser,
 * every typed view the negotiation reads, and the publish negotiation itself
 * ({@link PublishNegotiator} with {@link PublishMediaRules}). Seeds are the offers of real stacks.
 * The contract: parsing returns or throws {@link SdpParseException}; negotiating returns an
 * answer or throws that or {@link SdpNegotiationException}; a parsed description survives its
 * own round trip; and the node's answer is itself SDP the node can parse.
 */
class SdpFuzzTest {

    private static final LocalTransportParams LOCAL = new LocalTransportParams("fuzzufrg",
            "fuzzpasswordfuzzpassword", "AA:BB:CC", "127.0.0.1", 40000);

    @FuzzTest
    void parsesAndNegotiatesOrRefuses(byte[] input) throws SdpParseException {
        String offer = new String(input, StandardCharsets.UTF_8);
        SessionDescription parsed;
        try {
            parsed = SessionDescription.parse(offer);
        } catch (SdpParseException refused) {
            return;
        }
        SessionDescription again = SessionDescription.parse(parsed.toSdp());
        assertThat(again.toSdp()).isEqualTo(parsed.toSdp());
        parsed.bundleMids();
        for (MediaDescription m : parsed.media()) {
            m.mid();
            m.direction();
            m.isRejected();
            m.isDataChannel();
            m.codecs();
            m.headerExtensions();
            m.mediaSsrcs();
            m.ssrcGroups("FID");
            m.sendRids();
            m.msid();
            PublishMediaRules.acceptedExtensions(m);
        }
        try {
            PublishAnswer answer = PublishNegotiator.answer(offer, LOCAL, List.of("H264", "VP9"));
            SessionDescription.parse(answer.sdp());
        } catch (SdpNegotiationException refused) {
            // a well-formed offer the node cannot take
        }
    }
}
