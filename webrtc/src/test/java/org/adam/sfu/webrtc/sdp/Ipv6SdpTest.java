package org.adam.sfu.webrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/** IPv6 in what the node writes and reads: its dual-stack host candidates, IPv6 offers and pipes. */
class Ipv6SdpTest {

    private static final String FINGERPRINT =
            "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";
    private static final LocalTransportParams DUAL_STACK = new LocalTransportParams("ufrag123",
            "pwd4567890123456789012345", FINGERPRINT, List.of("127.0.0.1", "::1"), 40000);

    @Test
    void aDualStackNodeAnnouncesAHostCandidatePerFamilyTheFirstPreferred() throws Exception {
        String answer = PublishNegotiator.answer(SdpTest.resource("offers/chromium-max-bundle-gathered.sdp"),
                DUAL_STACK, List.of()).sdp();
        List<String> candidates = SessionDescription.parse(answer).media().get(0).attributes("candidate");
        assertThat(candidates).containsExactly(
                "1 1 udp 2130706431 127.0.0.1 40000 typ host",
                "2 1 udp 2130706175 ::1 40000 typ host");
    }

    @Test
    void anIpv6OfferIsAnswered() throws Exception {
        // Chromium on an IPv6-only path: c= and its candidates in IP6.
        String offer = SdpTest.resource("offers/chromium-max-bundle-gathered.sdp")
                .replace("IN IP4 127.0.0.1", "IN IP6 ::1")
                .replace("IN IP4 0.0.0.0", "IN IP6 ::")
                .replace("udp 2122260223 127.0.0.1 47867", "udp 2122260223 ::1 47867")
                .replace("tcp 1518280447 127.0.0.1 9", "tcp 1518280447 ::1 9");
        assertThat(offer).contains("IN IP6 ::1").doesNotContain("127.0.0.1");
        PublishAnswer answer = PublishNegotiator.answer(offer, DUAL_STACK, List.of());
        assertThat(answer.media()).anyMatch(PublishedMedia::sending);
        assertThat(answer.sdp()).contains("a=candidate:2 1 udp 2130706175 ::1 40000 typ host");
    }

    @Test
    void aPipeReadsTheOtherNodesIpv6Candidate() throws Exception {
        LocalTransportParams v6 = new LocalTransportParams("bbbb", "bpwdbpwdbpwdbpwdbpwdbpwd", FINGERPRINT,
                "2001:db8::2", 45002);
        PipeDescription.Remote remote = PipeDescription.read(PipeDescription.answer(v6, 2));
        assertThat(remote.candidate()).isEqualTo(new InetSocketAddress("2001:db8::2", 45002));
    }
}
