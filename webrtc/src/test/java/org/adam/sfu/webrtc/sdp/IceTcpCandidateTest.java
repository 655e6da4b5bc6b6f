package org.adam.sfu.webrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The passive ICE-TCP candidate (RFC 6544) in what the node writes, beside the UDP one. */
class IceTcpCandidateTest {

    private static final String FINGERPRINT =
            "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";
    private static final LocalTransportParams WITH_TCP = new LocalTransportParams("ufrag123",
            "pwd4567890123456789012345", FINGERPRINT, "10.0.0.5", 40000, 40443);
    private static final LocalTransportParams UDP_ONLY = new LocalTransportParams("ufrag123",
            "pwd4567890123456789012345", FINGERPRINT, "10.0.0.5", 40000);

    @Test
    void publishAnswersOfferTcpPassiveBelowUdp() throws Exception {
        PublishAnswer answer = PublishNegotiator.answer(SdpTest.resource("chromium-offer-audio-video.sdp"), WITH_TCP);
        for (MediaDescription m : SessionDescription.parse(answer.sdp()).media()) {
            assertThat(m.attributes("candidate")).containsExactly(
                    "1 1 udp 2130706431 10.0.0.5 40000 typ host",
                    "2 1 tcp 2124414975 10.0.0.5 40443 typ host tcptype passive");
            assertThat(m.hasAttribute("end-of-candidates")).isTrue();
        }
    }

    @Test
    void subscribeOffersCarryTheTcpCandidateToo() {
        RtpCodec opus = new RtpCodec(111, "opus", 48000, 2, "minptime=10", List.of());
        String offer = SubscribeOfferBuilder.offer(WITH_TCP, 1, 1, List.of(new OutgoingTrack("0", "audio", opus, 1111,
                "c", "p-alice", "t-a", OutgoingTrack.MLineState.SENDING, -1, 0)));
        assertThat(offer).contains("a=candidate:2 1 tcp 2124414975 10.0.0.5 40443 typ host tcptype passive\r\n");
    }

    @Test
    void tcpPriorityIsRfc6544PassiveHostAndBelowUdpHost() {
        // type preference 126 (host), local preference 2^13 * 4 (passive) + 8191, component 1
        assertThat(LocalTransportParams.TCP_PASSIVE_HOST_PRIORITY)
                .isEqualTo(126L * (1 << 24) + (4L * 8192 + 8191) * 256 + 255)
                .isLessThan(2130706431L);
    }

    @Test
    void withoutATcpPortOnlyUdpIsOffered() throws Exception {
        PublishAnswer answer = PublishNegotiator.answer(SdpTest.resource("chromium-offer-audio-video.sdp"), UDP_ONLY);
        assertThat(answer.sdp()).doesNotContain(" tcp ").contains("a=candidate:1 1 udp 2130706431 10.0.0.5 40000 typ host");
    }

    @Test
    void pipesReadTheUdpCandidateWhateverFollows() throws Exception {
        PipeDescription.Remote remote = PipeDescription.read(PipeDescription.offer(WITH_TCP, 1));
        assertThat(remote.candidate().getPort()).isEqualTo(40000);
    }
}
