package org.adam.sfu.webrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A neighbourhood's `videoCodecs` decides which offered video codec a publisher is asked for. */
class PublishCodecPreferenceTest {

    private static final LocalTransportParams LOCAL = new LocalTransportParams("ufrag123", "pwd4567890123456789012345",
            "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
            "127.0.0.1", 40000);

    private static RtpCodec videoCodec(List<String> preference) throws Exception {
        PublishAnswer answer = PublishNegotiator.answer(SdpTest.resource("chromium-offer-audio-video.sdp"), LOCAL,
                preference);
        return answer.media().stream().filter(m -> m.kind().equals("video")).findFirst().orElseThrow().codec();
    }

    @Test
    void theNodesOrderWithoutAPolicy() throws Exception {
        assertThat(videoCodec(List.of()).name()).isEqualTo("VP8");
    }

    @Test
    void h264FirstForRoomsWithSafari() throws Exception {
        RtpCodec codec = videoCodec(List.of("H264", "VP8"));
        assertThat(codec.name()).isEqualTo("H264");
        assertThat(codec.fmtpParameter("packetization-mode")).isEqualTo("1");
    }

    @Test
    void codecsThePolicyLeavesOutFollowInTheNodesOrder() throws Exception {
        assertThat(videoCodec(List.of("VP9")).name()).isEqualTo("VP9");
        assertThat(videoCodec(List.of("AV1", "H264")).name()).isEqualTo("AV1");
    }
}
