package org.adam.sfu.webrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The node's relayed address (its own TURN allocation) in what it writes, after its host candidates. */
class RelayCandidateTest {

    private static final String FINGERPRINT =
            "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";
    private static final LocalTransportParams RELAYED = new LocalTransportParams("ufrag123",
            "pwd4567890123456789012345", FINGERPRINT, List.of("10.0.0.5"), 40000, 40000,
            new InetSocketAddress("203.0.113.7", 50123));

    @Test
    void publishAnswersOfferTheRelayLastAndLowest() throws Exception {
        PublishAnswer answer = PublishNegotiator.answer(SdpTest.resource("chromium-offer-audio-video.sdp"), RELAYED);
        for (MediaDescription m : SessionDescription.parse(answer.sdp()).media()) {
            assertThat(m.attributes("candidate")).containsExactly(
                    "1 1 udp 2130706431 10.0.0.5 40000 typ host",
                    "2 1 tcp 2124414975 10.0.0.5 40000 typ host tcptype passive",
                    "3 1 udp 16777215 203.0.113.7 50123 typ relay raddr 10.0.0.5 rport 40000");
        }
    }

    @Test
    void anIceRestartKeepsTheRelay() {
        assertThat(RELAYED.withCredentials("other", "otherpwdotherpwdotherpwd").relayCandidate())
                .isEqualTo(RELAYED.relayCandidate());
    }

    @Test
    void relayPriorityIsTypePreferenceZero() {
        assertThat(LocalTransportParams.RELAY_PRIORITY).isLessThan(1L << 24).isLessThan(
                LocalTransportParams.TCP_PASSIVE_HOST_PRIORITY);
    }

    @Test
    void aPeersSdpCandidatesAreRead() throws Exception {
        PublishAnswer answer = PublishNegotiator.answer(SdpTest.resource("chromium-offer-audio-video.sdp"), RELAYED);
        assertThat(answer.remote().candidates()).containsExactly(
                "1277347142 1 udp 2122260223 127.0.0.1 34006 typ host generation 0 network-id 1 network-cost 50",
                "854403038 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 network-id 1 network-cost 50");
    }
}
