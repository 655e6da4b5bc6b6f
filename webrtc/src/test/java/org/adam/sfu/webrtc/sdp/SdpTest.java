package org.adam.sfu.webrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SdpTest {

    private static final LocalTransportParams LOCAL = new LocalTransportParams("ufrag123", "pwd4567890123456789012345",
            "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
            "127.0.0.1", 40000);

    static String resource(String name) throws IOException {
        try (InputStream in = SdpTest.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void chromiumOffersRoundTripLineForLine() throws Exception {
        for (String name : List.of("chromium-offer-audio-video.sdp", "chromium-offer-simulcast.sdp",
                "chromium-answer-to-subscribe-offer.sdp", "node-subscribe-offer.sdp", "node-publish-answer.sdp")) {
            String text = resource(name);
            SessionDescription parsed = SessionDescription.parse(text);
            String written = parsed.toSdp();
            assertThat(written.split("\r\n")).as(name).containsExactly(text.split("\r?\n"));
            assertThat(SessionDescription.parse(written).toSdp()).isEqualTo(written);
        }
    }

    @Test
    void readsWhatChromiumOffers() throws Exception {
        SessionDescription offer = SessionDescription.parse(resource("chromium-offer-audio-video.sdp"));
        assertThat(offer.bundleMids()).containsExactly("0", "1");
        MediaDescription audio = offer.media().get(0);
        MediaDescription video = offer.media().get(1);
        assertThat(audio.kind()).isEqualTo("audio");
        assertThat(audio.direction()).isEqualTo("sendonly");
        assertThat(audio.codecs().get(0)).satisfies(opus -> {
            assertThat(opus.name()).isEqualTo("opus");
            assertThat(opus.clockRate()).isEqualTo(48000);
            assertThat(opus.channels()).isEqualTo(2);
            assertThat(opus.fmtpParameter("useinbandfec")).isEqualTo("1");
        });
        assertThat(video.codecs()).extracting(RtpCodec::name).contains("VP8", "rtx", "H264", "VP9", "AV1");
        assertThat(video.codecs().get(0).rtcpFeedback()).contains("nack", "nack pli", "ccm fir");
        assertThat(video.headerExtensions()).containsValue(HeaderExtensionUris.MID);
        assertThat(video.ssrcGroups("FID")).hasSize(1);
        assertThat(video.ssrcs()).hasSize(2);
    }

    @Test
    void answersAChromiumOfferWithOneCodecPerMediaAsIceLiteDtlsServer() throws Exception {
        PublishAnswer answer = PublishNegotiator.answer(resource("chromium-offer-audio-video.sdp"), LOCAL);
        assertThat(answer.media()).hasSize(2);
        PublishedMedia audio = answer.media().get(0);
        PublishedMedia video = answer.media().get(1);
        assertThat(audio.codec().name()).isEqualTo("opus");
        assertThat(video.codec().name()).isEqualTo("VP8");
        assertThat(video.ssrcs()).hasSize(1); // the RTX half of the FID group is not a media stream
        assertThat(video.headerExtensions()).containsValue(HeaderExtensionUris.MID)
                .doesNotContainValue("http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
        assertThat(answer.remote().weAreDtlsClient()).isFalse();

        SessionDescription sdp = SessionDescription.parse(answer.sdp());
        assertThat(sdp.hasAttribute("ice-lite")).isTrue();
        assertThat(sdp.bundleMids()).containsExactly("0", "1");
        for (MediaDescription m : sdp.media()) {
            assertThat(m.formats()).hasSize(1);
            assertThat(m.attribute("setup")).isEqualTo("passive");
            assertThat(m.direction()).isEqualTo("recvonly");
            assertThat(m.hasAttribute("rtcp-mux")).isTrue();
            assertThat(m.attributes("candidate")).containsExactly("1 1 udp 2130706431 127.0.0.1 40000 typ host");
        }
    }

    @Test
    void acceptsSimulcastRidsFromChromium() throws Exception {
        PublishAnswer answer = PublishNegotiator.answer(resource("chromium-offer-simulcast.sdp"), LOCAL);
        PublishedMedia video = answer.media().stream().filter(m -> m.kind().equals("video")).findFirst().orElseThrow();
        assertThat(video.rids()).containsExactly("q", "h", "f");
        MediaDescription m = SessionDescription.parse(answer.sdp()).media().get(1);
        assertThat(m.attribute("simulcast")).isEqualTo("recv q;h;f");
        assertThat(m.attributes("rid")).containsExactly("q recv", "h recv", "f recv");
    }

    @Test
    void refusesOffersTheNodeCannotServe() throws Exception {
        String av = resource("chromium-offer-audio-video.sdp");
        String noCodec = av.replace("VP8/90000", "XYZ/90000").replace("opus/48000/2", "abc/48000/2")
                .replace("H264/90000", "XYZ/90000").replace("VP9/90000", "XYZ/90000").replace("AV1/90000", "XYZ/90000");
        assertThatThrownBy(() -> PublishNegotiator.answer(noCodec, LOCAL))
                .isInstanceOf(SdpNegotiationException.class).hasMessageContaining("usable codec");
        String dataOnly = String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "a=group:BUNDLE 0", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0",
                "a=mid:0", "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuv",
                "a=fingerprint:sha-256 AA:BB", "a=setup:actpass", "");
        assertThatThrownBy(() -> PublishNegotiator.answer(dataOnly, LOCAL)).isInstanceOf(SdpNegotiationException.class);
        String noBundle = av.replace("a=group:BUNDLE 0 1\r\n", "").replace("a=group:BUNDLE 0 1\n", "");
        assertThatThrownBy(() -> PublishNegotiator.answer(noBundle, LOCAL))
                .isInstanceOf(SdpNegotiationException.class).hasMessageContaining("BUNDLE");
        assertThatThrownBy(() -> PublishNegotiator.answer("hello", LOCAL)).isInstanceOf(SdpParseException.class);
    }

    @Test
    void subscribeOfferCarriesMsidSsrcAndInactiveSlots() throws Exception {
        RtpCodec vp8 = new RtpCodec(96, "VP8", 90000, 0, "", List.of("nack", "nack pli", "ccm fir", "transport-cc"));
        RtpCodec opus = new RtpCodec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of("transport-cc"));
        String offer = SubscribeOfferBuilder.offer(LOCAL, 42, 3, List.of(
                new OutgoingTrack("0", "audio", opus, 1111, "c", "p-alice", "t-a", OutgoingTrack.MLineState.SENDING, -1, 0),
                new OutgoingTrack("1", "video", vp8, 2222, "c", "p-alice", "t-v", OutgoingTrack.MLineState.SENDING, 97, 2223),
                new OutgoingTrack("2", "video", vp8, 3333, "c", "p-bob", "t-gone", OutgoingTrack.MLineState.INACTIVE, 97, 3334),
                new OutgoingTrack("3", "video", vp8, 4444, "c", "p-bob", "t-gone2", OutgoingTrack.MLineState.REJECTED, 97, 4445)));
        SessionDescription sdp = SessionDescription.parse(offer);
        assertThat(sdp.attribute("msid-semantic")).isEqualTo(" WMS *");
        assertThat(sdp.bundleMids()).as("a rejected m-line is out of the group").containsExactly("0", "1", "2");
        assertThat(sdp.media().get(1).msid()).isEqualTo("p-alice t-v");
        assertThat(sdp.media().get(1).ssrcs()).containsExactly(2222L, 2223L);
        assertThat(sdp.media().get(1).ssrcGroups("FID")).containsExactly(List.of(2222L, 2223L));
        assertThat(sdp.media().get(1).formats()).containsExactly("96", "97");
        assertThat(sdp.media().get(1).codecs().get(1).name()).isEqualTo("rtx");
        assertThat(sdp.media().get(1).codecs().get(1).fmtp()).isEqualTo("apt=96");
        assertThat(sdp.media().get(0).formats()).as("no RTX for audio").containsExactly("111");
        assertThat(sdp.media().get(1).codecs().get(0).rtcpFeedback())
                .containsExactly("nack", "nack pli", "ccm fir", "transport-cc");
        assertThat(sdp.media().get(0).codecs().get(0).rtcpFeedback()).containsExactly("transport-cc");
        assertThat(sdp.media().subList(0, 3)).allSatisfy(m -> assertThat(m.headerExtensions())
                .containsEntry(HeaderExtensionUris.SUBSCRIBE_TRANSPORT_CC_ID, HeaderExtensionUris.TRANSPORT_WIDE_CC));
        assertThat(sdp.media().get(2).direction()).isEqualTo("inactive");
        assertThat(sdp.media().get(2).port()).isEqualTo(9);
        assertThat(sdp.media().get(2).msid()).isNull();
        MediaDescription rejected = sdp.media().get(3);
        assertThat(rejected.port()).isZero();
        assertThat(rejected.isRejected()).isTrue();
        assertThat(rejected.mid()).isEqualTo("3");
        assertThat(rejected.direction()).isEqualTo("inactive");
        assertThat(rejected.ssrcs()).isEmpty();
        assertThat(rejected.msid()).isNull();
        assertThat(rejected.formats()).containsExactly("96");
    }

    @Test
    void readsChromiumsAnswerToTheNodesSubscribeOffer() throws Exception {
        SubscribeAnswer answer = SubscribeAnswer.read(resource("chromium-answer-to-subscribe-offer.sdp"));
        assertThat(answer.remote().weAreDtlsClient()).isFalse();
        assertThat(answer.acceptedMids()).isNotEmpty();
        assertThat(answer.remote().fingerprintSha256()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    @Test
    void mutatedSdpNeverEscapesAsAnUncheckedException() throws Exception {
        String seed = resource("chromium-offer-audio-video.sdp");
        Random random = new Random(8866);
        for (int i = 0; i < 5_000; i++) {
            char[] chars = seed.toCharArray();
            for (int flips = random.nextInt(20) + 1; flips > 0; flips--) {
                chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(95));
            }
            String mutated = new String(chars, 0, random.nextInt(chars.length));
            try {
                PublishNegotiator.answer(mutated, LOCAL);
            } catch (SdpParseException | SdpNegotiationException expected) {
                // refused cleanly
            }
            try {
                SubscribeAnswer.read(mutated);
            } catch (SdpParseException | SdpNegotiationException expected) {
                // refused cleanly
            }
        }
    }
}
