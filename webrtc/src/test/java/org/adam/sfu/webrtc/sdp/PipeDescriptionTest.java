package org.adam.sfu.webrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class PipeDescriptionTest {

    private static final LocalTransportParams A = new LocalTransportParams("aaaa", "apwdapwdapwdapwdapwdapwd",
            "AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA",
            "127.0.0.1", 45001);
    private static final LocalTransportParams B = new LocalTransportParams("bbbb", "bpwdbpwdbpwdbpwdbpwdbpwd",
            "BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB",
            "127.0.0.1", 45002);

    @Test
    void offerAndAnswerCarryTransportRolesAndCandidates() throws Exception {
        PipeDescription.Remote offer = PipeDescription.read(PipeDescription.offer(A, 1));
        assertThat(offer.transport().iceUfrag()).isEqualTo("aaaa");
        assertThat(offer.transport().fingerprintSha256()).isEqualTo(A.fingerprintSha256());
        assertThat(offer.candidate()).isEqualTo(new InetSocketAddress("127.0.0.1", 45001));

        PipeDescription.Remote answer = PipeDescription.read(PipeDescription.answer(B, 2));
        assertThat(answer.transport().weAreDtlsClient()).as("the answerer is passive: the offerer connects").isTrue();
        assertThat(answer.candidate().getPort()).isEqualTo(45002);

        SessionDescription sdp = SessionDescription.parse(PipeDescription.offer(A, 1));
        assertThat(sdp.bundleMids()).containsExactly("0", "1");
        assertThat(sdp.media().get(1).codecs()).extracting(RtpCodec::name).containsExactly("VP8", "VP9", "H264", "AV1");
        assertThat(sdp.media()).allSatisfy(m -> assertThat(m.direction()).isEqualTo("sendrecv"));
    }

    @Test
    void aNodeBehindNatOffersItsServerReflexiveAddressAfterItsHostOne() throws Exception {
        InetSocketAddress reflexive = new InetSocketAddress("198.18.0.11", 45001);
        String offer = PipeDescription.offer(A.withReflexiveCandidate(reflexive), 1);
        assertThat(offer).contains("198.18.0.11 45001 typ srflx raddr 127.0.0.1 rport 45001");
        PipeDescription.Remote remote = PipeDescription.read(offer);
        assertThat(remote.candidates()).containsExactly(new InetSocketAddress("127.0.0.1", 45001), reflexive);
        assertThat(remote.candidate()).as("the host candidate stays preferred").isEqualTo(remote.candidates().get(0));
    }

    @Test
    void refusesADescriptionWithoutAUsableCandidate() {
        String noCandidate = PipeDescription.offer(A, 1).replaceAll("a=candidate:[^\\r\\n]*\\r\\n", "");
        assertThatThrownBy(() -> PipeDescription.read(noCandidate)).isInstanceOf(SdpNegotiationException.class);
    }
}
