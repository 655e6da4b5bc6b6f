package org.adam.sfu.webrtc.sdp;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Publish offers captured from real stacks (resources sdp/offers, made by the scripts in
 * sdp/capture) and hand-made variants of them for what no stack on the test machine offers.
 * Every offer is either answered with each sending audio and video m-line accepted and routable,
 * or refused with an error naming the m-line: never answered and then dropped.
 * With -Dsdp.answers.dir=DIR the answers are also written there, one file per offer.
 */
class PublishOfferCorpusTest {

    private static final LocalTransportParams LOCAL = PublishAnswerMain.LOCAL;

    /** How one m-line of a corpus offer must be answered. */
    private record Expect(String mid, Outcome outcome, int ssrcs, List<String> rids) {
    }

    private enum Outcome { PUBLISHED, NOT_SENDING, REJECTED }

    private static Expect ssrc(String mid) {
        return new Expect(mid, Outcome.PUBLISHED, 1, List.of());
    }

    /** Published with no SSRC in the SDP: learnt from its first packet (by MID or payload type). */
    private static Expect unsignalled(String mid) {
        return new Expect(mid, Outcome.PUBLISHED, 0, List.of());
    }

    private static Expect rids(String mid, String... rids) {
        return new Expect(mid, Outcome.PUBLISHED, 0, List.of(rids));
    }

    /** Simulcast by rid whose layers' SSRCs the offer also gives (Firefox). */
    private static Expect ridsAndSsrcs(String mid, String... rids) {
        return new Expect(mid, Outcome.PUBLISHED, rids.length, List.of(rids));
    }

    private static Expect notSending(String mid) {
        return new Expect(mid, Outcome.NOT_SENDING, 0, List.of());
    }

    private static Expect rejected(String mid) {
        return new Expect(mid, Outcome.REJECTED, 0, List.of());
    }

    /** Every corpus file, with what its m-lines must become, in order. */
    private static final Map<String, List<Expect>> ANSWERED = Map.ofEntries(
            entry("webrtcbin-max-compat.sdp", List.of(ssrc("audio0"), ssrc("video1"))),
            entry("webrtcbin-max-bundle.sdp", List.of(ssrc("audio0"), ssrc("video1"))),
            entry("webrtcbin-max-bundle-gathered.sdp", List.of(ssrc("audio0"), ssrc("video1"))),
            entry("webrtcbin-audio-only.sdp", List.of(ssrc("audio0"))),
            entry("webrtcbin-video-only.sdp", List.of(ssrc("video0"))),
            entry("webrtcbin-datachannel.sdp", List.of(ssrc("audio0"), ssrc("video1"), rejected("application2"))),
            entry("webrtcbin-recvonly.sdp",
                    List.of(ssrc("audio0"), ssrc("video1"), notSending("audio2"), notSending("video3"))),
            entry("aiortc-audio-video.sdp", List.of(ssrc("0"), ssrc("1"))),
            entry("aiortc-audio-only.sdp", List.of(ssrc("0"))),
            entry("aiortc-video-only.sdp", List.of(ssrc("0"))),
            entry("aiortc-datachannel.sdp", List.of(ssrc("0"), ssrc("1"), rejected("2"))),
            entry("chromium-balanced.sdp", List.of(ssrc("0"), ssrc("1"))),
            entry("chromium-max-compat.sdp", List.of(ssrc("0"), ssrc("1"))),
            entry("chromium-max-bundle.sdp", List.of(ssrc("0"), ssrc("1"))),
            entry("chromium-max-bundle-gathered.sdp", List.of(ssrc("0"), ssrc("1"))),
            entry("chromium-simulcast.sdp", List.of(ssrc("0"), rids("1", "q", "h", "f"))),
            entry("chromium-audio-only.sdp", List.of(ssrc("0"))),
            entry("chromium-datachannel.sdp", List.of(ssrc("0"), ssrc("1"), rejected("2"))),
            // offered before its payloaders had caps: no a=ssrc and no MID extension, but one
            // payload type per m-line (111 and 96), which names each stream
            entry("webrtcbin-no-ssrc.sdp", List.of(unsignalled("audio0"), unsignalled("video1"))),
            entry("firefox-balanced.sdp", List.of(ssrc("0"), ssrc("1"))),
            entry("firefox-max-compat.sdp", List.of(ssrc("0"), ssrc("1"))),
            // a=bundle-only on the video m-line (port 0): bundled
            entry("firefox-max-bundle.sdp", List.of(ssrc("0"), ssrc("1"))),
            entry("firefox-audio-only.sdp", List.of(ssrc("0"))),
            entry("firefox-datachannel.sdp", List.of(ssrc("0"), ssrc("1"), rejected("2"))),
            entry("firefox-simulcast.sdp", List.of(ssrc("0"), ridsAndSsrcs("1", "q", "h", "f"))));

    /** Corpus offers the node must refuse, with what the error must say. */
    private static final Map<String, List<String>> REFUSED = Map.of(
            // webrtcbin's "balanced" policy offers no BUNDLE group at all
            "webrtcbin-balanced.sdp", List.of("BUNDLE"));

    static Stream<String> answeredOffers() {
        return ANSWERED.keySet().stream().sorted();
    }

    static Stream<String> refusedOffers() {
        return REFUSED.keySet().stream().sorted();
    }

    static String offer(String name) throws IOException {
        return SdpTest.resource("offers/" + name);
    }

    @Test
    void everyCorpusFileHasAnExpectation() throws IOException, URISyntaxException {
        Path dir = Path.of(PublishOfferCorpusTest.class.getResource("/sdp/offers").toURI());
        List<String> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sdp")).toList();
        }
        List<String> expected = new ArrayList<>(ANSWERED.keySet());
        expected.addAll(REFUSED.keySet());
        assertThat(files).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(files).allSatisfy(name -> assertThat(name).matches("(webrtcbin|aiortc|chromium|firefox)-[a-z0-9-]+\\.sdp"));
    }

    @ParameterizedTest
    @MethodSource("answeredOffers")
    void answersEveryOfferFromTheCorpus(String name) throws Exception {
        String text = offer(name);
        SessionDescription offer = SessionDescription.parse(text);
        PublishAnswer answer = PublishNegotiator.answer(text, LOCAL);
        writeForInspection(name, answer.sdp());
        SessionDescription sdp = SessionDescription.parse(answer.sdp());
        List<Expect> expects = ANSWERED.get(name);

        assertThat(sdp.media()).as("one answer m-line per offered m-line").hasSameSizeAs(offer.media());
        assertThat(expects).extracting(Expect::mid)
                .containsExactlyElementsOf(offer.media().stream().map(MediaDescription::mid).toList());
        List<String> group = sdp.bundleMids();
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription offered = offer.media().get(i);
            MediaDescription answered = sdp.media().get(i);
            Expect expect = expects.get(i);
            String line = name + " m-line " + offered.mid();
            assertThat(answered.kind()).as(line).isEqualTo(offered.kind());
            assertThat(answered.mid()).as(line).isEqualTo(offered.mid());
            assertCarriesTransport(sdp, answered, line);
            boolean sendingMedia = offered.sends() && !offered.isDataChannel();
            if (sendingMedia) {
                assertThat(expect.outcome()).as(line + ": a sending m-line is published").isEqualTo(Outcome.PUBLISHED);
            }
            if (expect.outcome() == Outcome.REJECTED) {
                assertThat(offered.isDataChannel()).as(line).isTrue();
                assertThat(answered.port()).as(line).isZero();
                assertThat(answered.protocol()).as(line).isEqualTo(offered.protocol());
                assertThat(group).as(line).doesNotContain(offered.mid());
                continue;
            }
            assertThat(answered.port()).as(line).isNotZero();
            assertThat(answered.hasAttribute("bundle-only")).as(line).isFalse();
            assertThat(group).as(line).contains(offered.mid());
            assertThat(answered.formats()).as(line).hasSize(1);
            assertThat(answered.hasAttribute("rtcp-mux")).as(line).isTrue();
            assertThat(answered.attributes("candidate")).as(line).isNotEmpty();
            assertThat(answered.direction()).as(line).isEqualTo(offered.sends() ? "recvonly" : "inactive");
        }
        assertThat(group).as("BUNDLE lists the accepted m-lines in order").containsExactlyElementsOf(
                expects.stream().filter(e -> e.outcome() != Outcome.REJECTED).map(Expect::mid).toList());
        assertThat(sdp.hasAttribute("fingerprint"))
                .as("webrtcbin refuses a fingerprint at both session and media level").isFalse();

        List<Expect> accepted = expects.stream().filter(e -> e.outcome() != Outcome.REJECTED).toList();
        assertThat(answer.media()).extracting(PublishedMedia::mid)
                .containsExactlyElementsOf(accepted.stream().map(Expect::mid).toList());
        for (int i = 0; i < accepted.size(); i++) {
            Expect expect = accepted.get(i);
            PublishedMedia published = answer.media().get(i);
            MediaDescription offered = offer.media(expect.mid());
            assertThat(published.sending()).as(expect.mid()).isEqualTo(expect.outcome() == Outcome.PUBLISHED);
            assertThat(published.ssrcs()).as(expect.mid()).hasSize(expect.ssrcs());
            assertThat(offered.ssrcs()).as(expect.mid()).containsAll(published.ssrcs());
            assertThat(published.rids()).as(expect.mid()).containsExactlyElementsOf(expect.rids());
            assertThat(published.codec().name()).as(expect.mid()).isIn("opus", "OPUS", "VP8");
        }

        // The client's transport is the one of the first accepted m-line (aiortc keeps that one).
        MediaDescription first = offer.media(accepted.get(0).mid());
        assertThat(answer.remote().iceUfrag()).isEqualTo(offer.attributeOf(first, "ice-ufrag"));
        assertThat(answer.remote().icePwd()).isEqualTo(offer.attributeOf(first, "ice-pwd"));
        assertThat("sha-256 " + answer.remote().fingerprintSha256()).isEqualTo(offer.attributeOf(first, "fingerprint"));
        assertThat(answer.remote().weAreDtlsClient()).as("every stack offers actpass").isFalse();
    }

    @ParameterizedTest
    @MethodSource("refusedOffers")
    void refusesWhatTheNodeCannotCarryWithAnErrorThatSaysWhy(String name) {
        assertThatThrownBy(() -> PublishNegotiator.answer(offer(name), LOCAL))
                .isInstanceOf(SdpNegotiationException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(REFUSED.get(name)));
    }

    // Hand-made variants of real offers, for what no stack on the test machine offers.

    @Test
    void takesTwoByteHeaderExtensionIdsItNeedsAndIgnoresTheRest() throws Exception {
        String text = offer("chromium-max-bundle.sdp")
                .replace("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=extmap:16 urn:ietf:params:rtp-hdrext:sdes:mid")
                .replace("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                        "a=extmap:255 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
                                + "a=extmap:200 urn:example:not-used-by-the-node\r\n"
                                + "a=extmap:256 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n"
                                + "a=extmap:0 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id");
        assertThat(text).contains("a=extmap-allow-mixed", "a=extmap:16 ");
        PublishAnswer answer = PublishNegotiator.answer(text, LOCAL);
        assertThat(answer.media().get(0).headerExtensions()).containsOnly(
                entry(255, HeaderExtensionUris.AUDIO_LEVEL),
                entry(2, HeaderExtensionUris.ABS_SEND_TIME),
                entry(16, HeaderExtensionUris.MID));
        assertThat(answer.media().get(1).headerExtensions()).containsEntry(16, HeaderExtensionUris.MID);
        SessionDescription sdp = SessionDescription.parse(answer.sdp());
        assertThat(sdp.hasAttribute("extmap-allow-mixed")).isTrue();
        assertThat(sdp.media().get(0).attributes("extmap"))
                .contains("255 " + HeaderExtensionUris.AUDIO_LEVEL, "16 " + HeaderExtensionUris.MID)
                .noneMatch(e -> e.contains("not-used") || e.startsWith("256 ") || e.startsWith("0 "));
    }

    @Test
    void leavesExtmapAllowMixedOutWhenNotOffered() throws Exception {
        String text = offer("chromium-max-bundle.sdp").replace("a=extmap-allow-mixed\r\n", "");
        assertThat(SessionDescription.parse(PublishNegotiator.answer(text, LOCAL).sdp())
                .hasAttribute("extmap-allow-mixed")).isFalse();
    }

    @Test
    void ignoresLipSyncGroupsAndEndOfCandidates() throws Exception {
        String text = offer("chromium-max-bundle-gathered.sdp")
                .replace("a=group:BUNDLE 0 1\r\n", "a=group:LS 0 1\r\na=group:BUNDLE 0 1\r\n")
                .replace("a=mid:1\r\n", "a=mid:1\r\na=end-of-candidates\r\n")
                .replace("t=0 0\r\n", "t=0 0\r\na=end-of-candidates\r\n");
        assertThat(text).contains("a=group:LS 0 1", "a=candidate:");
        PublishAnswer answer = PublishNegotiator.answer(text, LOCAL);
        assertThat(answer.media()).extracting(PublishedMedia::mid).containsExactly("0", "1");
        assertThat(SessionDescription.parse(answer.sdp()).bundleMids()).containsExactly("0", "1");
    }

    @Test
    void takesTheFirstSsrcOfAnOlderClientsSimulcastGroupAsItsOneLayer() throws Exception {
        String text = offer("chromium-max-bundle.sdp");
        List<String> video = new ArrayList<>(section(text, 1));
        video.removeIf(l -> l.startsWith("a=ssrc"));
        String msid = "stream track";
        for (long ssrc : new long[] {101, 102, 103, 201, 202, 203}) {
            video.add("a=ssrc:" + ssrc + " cname:abc");
            video.add("a=ssrc:" + ssrc + " msid:" + msid);
        }
        video.addAll(List.of("a=ssrc-group:FID 101 201", "a=ssrc-group:FID 102 202", "a=ssrc-group:FID 103 203",
                "a=ssrc-group:SIM 101 102 103"));
        PublishAnswer answer = PublishNegotiator.answer(replaceSection(text, 1, video), LOCAL);
        assertThat(answer.media().get(1).ssrcs()).containsExactly(101L);
        assertThat(answer.media().get(1).rids()).isEmpty();
    }

    @Test
    void aSendingMLineWithoutSsrcIsLearntByMidOrPayloadTypeElseRefusedNamingItsMid() throws Exception {
        String text = offer("chromium-max-bundle.sdp");
        List<String> video = new ArrayList<>(section(text, 1));
        video.removeIf(l -> l.startsWith("a=ssrc"));
        PublishAnswer byMid = PublishNegotiator.answer(replaceSection(text, 1, video), LOCAL);
        assertThat(byMid.media().get(1).sending()).isTrue();
        assertThat(byMid.media().get(1).ssrcs()).isEmpty();
        assertThat(byMid.media().get(1).headerExtensions()).containsValue(HeaderExtensionUris.MID);

        video.removeIf(l -> l.startsWith("a=extmap") && l.endsWith(HeaderExtensionUris.MID));
        PublishAnswer byPayloadType = PublishNegotiator.answer(replaceSection(text, 1, video), LOCAL);
        assertThat(byPayloadType.media().get(1).sending()).as("VP8's number is the video m-line's alone").isTrue();

        // A second such video m-line with the same payload type: nothing tells their packets apart.
        List<String> twin = new ArrayList<>(video);
        twin.replaceAll(l -> l.equals("a=mid:1") ? "a=mid:9" : l);
        String twice = replaceSection(text, 1, video) + String.join("\r\n", twin) + "\r\n";
        twice = twice.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 9");
        String offer = twice;
        assertThatThrownBy(() -> PublishNegotiator.answer(offer, LOCAL))
                .isInstanceOf(SdpNegotiationException.class)
                .hasMessageContaining("m-line 1 (video)").hasMessageContaining("a=ssrc")
                .hasMessageContaining("m-line 9 (video)");

        // Not sending, it needs none: answered inactive.
        video.replaceAll(l -> l.equals("a=sendonly") ? "a=inactive" : l);
        PublishAnswer answer = PublishNegotiator.answer(replaceSection(text, 1, video), LOCAL);
        assertThat(answer.media().get(1).sending()).isFalse();
        assertThat(SessionDescription.parse(answer.sdp()).media().get(1).direction()).isEqualTo("inactive");
    }

    @Test
    void refusesRidLayersItCannotRouteNamingTheMid() throws Exception {
        String text = offer("chromium-simulcast.sdp")
                .replace("a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n", "");
        assertThatThrownBy(() -> PublishNegotiator.answer(text, LOCAL))
                .isInstanceOf(SdpNegotiationException.class)
                .hasMessageContaining("m-line 1 (video)").hasMessageContaining("rtp-stream-id");
    }

    @Test
    void answersEveryDtlsRoleAnOfferCanAskFor() throws Exception {
        String text = offer("chromium-max-bundle.sdp");
        for (String[] roles : new String[][] {{"actpass", "passive"}, {"active", "passive"}, {"passive", "active"}}) {
            PublishAnswer answer = PublishNegotiator.answer(text.replace("a=setup:actpass", "a=setup:" + roles[0]), LOCAL);
            assertThat(answer.remote().weAreDtlsClient()).as(roles[0]).isEqualTo(roles[1].equals("active"));
            assertThat(SessionDescription.parse(answer.sdp()).media())
                    .allSatisfy(m -> assertThat(m.attribute("setup")).as(roles[0]).isEqualTo(roles[1]));
        }
    }

    @Test
    void acceptsABundleOnlyMLineThatCarriesNoTransportOfItsOwn() throws Exception {
        // In the style of Firefox's max-bundle offers (no Firefox on the test machine): the
        // fingerprint at session level, the bundle-only m-line without ICE credentials.
        String text = String.join("\r\n", "v=0", "o=mozilla...THIS_IS_SDPARTA-128.0 4242 0 IN IP4 0.0.0.0", "s=-",
                "t=0 0", "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB", "a=group:BUNDLE 0 1",
                "a=ice-options:trickle", "a=msid-semantic:WMS *",
                "m=audio 9 UDP/TLS/RTP/SAVPF 109 9 0 8", "c=IN IP4 0.0.0.0", "a=sendonly",
                "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", "a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid",
                "a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1", "a=ice-pwd:0123456789abcdef0123456789abcdef",
                "a=ice-ufrag:fe12ab34", "a=mid:0", "a=msid:{s} {a}", "a=rtcp-mux", "a=rtpmap:109 opus/48000/2",
                "a=rtpmap:9 G722/8000/1", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", "a=setup:actpass",
                "a=ssrc:1111 cname:{c}",
                "m=video 0 UDP/TLS/RTP/SAVPF 120 124", "c=IN IP4 0.0.0.0", "a=bundle-only", "a=sendonly",
                "a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid", "a=fmtp:124 apt=120", "a=mid:1", "a=msid:{s} {v}",
                "a=rtcp-fb:120 nack", "a=rtcp-fb:120 nack pli", "a=rtcp-fb:120 ccm fir", "a=rtcp-mux",
                "a=rtpmap:120 VP8/90000", "a=rtpmap:124 rtx/90000", "a=setup:actpass",
                "a=ssrc:2222 cname:{c}", "a=ssrc:3333 cname:{c}", "a=ssrc-group:FID 2222 3333", "");
        PublishAnswer answer = PublishNegotiator.answer(text, LOCAL);
        assertThat(answer.media()).extracting(PublishedMedia::mid).containsExactly("0", "1");
        assertThat(answer.media().get(1).ssrcs()).containsExactly(2222L);
        assertThat(answer.remote().iceUfrag()).isEqualTo("fe12ab34");
        assertThat(answer.remote().fingerprintSha256()).isEqualTo("AB:".repeat(31) + "AB");
        MediaDescription video = SessionDescription.parse(answer.sdp()).media().get(1);
        assertThat(video.port()).isEqualTo(9);
        assertThat(video.attribute("fingerprint")).isNotNull();

        // Its own transport when the first accepted m-line has none: the offerer-tagged one's.
        String videoFirst = text.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 1 0");
        assertThat(PublishNegotiator.answer(videoFirst, LOCAL).remote().iceUfrag()).isEqualTo("fe12ab34");
    }

    @Test
    void rejectsAStoppedMLineButKeepsItsMid() throws Exception {
        String text = offer("chromium-max-bundle.sdp").replace("m=audio 9 ", "m=audio 0 ")
                .replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 1");
        PublishAnswer answer = PublishNegotiator.answer(text, LOCAL);
        assertThat(answer.media()).extracting(PublishedMedia::mid).containsExactly("1");
        SessionDescription sdp = SessionDescription.parse(answer.sdp());
        assertThat(sdp.media().get(0).port()).isZero();
        assertThat(sdp.media().get(0).mid()).isEqualTo("0");
        assertThat(sdp.bundleMids()).containsExactly("1");
    }

    @Test
    void answersWithTheTransportOfTheFirstAcceptedMLineWhenTheTaggedOneIsADataChannel() throws Exception {
        // aiortc gathers one transport per m-line and keeps the first mid of the answer's BUNDLE.
        String text = offer("aiortc-datachannel.sdp");
        List<List<String>> sections = List.of(section(text, 2), section(text, 0), section(text, 1));
        String head = text.substring(0, text.indexOf("\r\nm=") + 2).replace("a=group:BUNDLE 0 1 2", "a=group:BUNDLE 2 0 1");
        StringBuilder reordered = new StringBuilder(head);
        sections.forEach(s -> s.forEach(l -> reordered.append(l).append("\r\n")));
        PublishAnswer answer = PublishNegotiator.answer(reordered.toString(), LOCAL);
        SessionDescription offer = SessionDescription.parse(text);
        assertThat(answer.remote().iceUfrag()).isEqualTo(offer.media("0").attribute("ice-ufrag"))
                .isNotEqualTo(offer.media("2").attribute("ice-ufrag"));
        SessionDescription sdp = SessionDescription.parse(answer.sdp());
        assertThat(sdp.bundleMids()).containsExactly("0", "1");
        assertThat(sdp.media().get(0).port()).isZero();
        assertThat(sdp.media().get(0).mid()).isEqualTo("2");
    }

    @Test
    void refusesSendingMediaItCannotCarryNamingTheMid() throws Exception {
        String text = offer("chromium-max-bundle.sdp");
        assertThatThrownBy(() -> PublishNegotiator.answer(text.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0"), LOCAL))
                .isInstanceOf(SdpNegotiationException.class).hasMessageContaining("m-line 1 (video)")
                .hasMessageContaining("BUNDLE");
        String noVp8 = text.replace("VP8/90000", "XYZ/90000").replace("VP9/90000", "XYZ/90000")
                .replace("AV1/90000", "XYZ/90000").replace("packetization-mode=1", "packetization-mode=0");
        assertThatThrownBy(() -> PublishNegotiator.answer(noVp8, LOCAL))
                .isInstanceOf(SdpNegotiationException.class).hasMessageContaining("m-line 1 (video)")
                .hasMessageContaining("usable codec");
        // A receive-only m-line without a usable codec is rejected in the answer instead (JSEP).
        String recvonly = noVp8.replace("a=sendonly\r\na=msid", "a=recvonly\r\na=msid");
        List<String> video = new ArrayList<>(section(recvonly, 1));
        video.removeIf(l -> l.startsWith("a=ssrc") || l.startsWith("a=msid"));
        SessionDescription sdp = SessionDescription.parse(
                PublishNegotiator.answer(replaceSection(recvonly, 1, video), LOCAL).sdp());
        assertThat(sdp.media().get(1).port()).isZero();
        assertThat(sdp.media().get(1).mid()).isEqualTo("1");
    }

    @Test
    void refusesTwoMLinesWithOneMid() throws Exception {
        String text = offer("chromium-max-bundle.sdp").replace("a=mid:1", "a=mid:0");
        assertThatThrownBy(() -> PublishNegotiator.answer(text, LOCAL))
                .isInstanceOf(SdpNegotiationException.class).hasMessageContaining("mid 0");
    }

    /** Every m-line carries what webrtcbin and aiortc check on each: ICE credentials, fingerprint, setup. */
    private static void assertCarriesTransport(SessionDescription sdp, MediaDescription m, String line) {
        assertThat(sdp.attributeOf(m, "ice-ufrag")).as(line).isEqualTo(LOCAL.iceUfrag());
        assertThat(sdp.attributeOf(m, "ice-pwd")).as(line).isEqualTo(LOCAL.icePwd());
        assertThat(sdp.attributeOf(m, "fingerprint")).as(line).isEqualTo("sha-256 " + LOCAL.fingerprintSha256());
        assertThat(m.attribute("setup")).as(line).isEqualTo("passive");
        if (m.isRtp()) {
            assertThat(m.hasAttribute("rtcp-mux")).as(line).isTrue();
        }
    }

    /** The lines of the m-section at {@code index}, its m= line first. */
    private static List<String> section(String sdp, int index) {
        String[] parts = sdp.split("\r\n(?=m=)");
        return Arrays.asList(parts[index + 1].split("\r\n"));
    }

    private static String replaceSection(String sdp, int index, List<String> lines) {
        String[] parts = sdp.split("\r\n(?=m=)");
        parts[index + 1] = String.join("\r\n", lines);
        return String.join("\r\n", parts) + "\r\n";
    }

    private static void writeForInspection(String offerName, String answer) throws IOException {
        String dir = System.getProperty("sdp.answers.dir");
        if (dir != null) {
            Path out = Path.of(dir);
            Files.createDirectories(out);
            Files.writeString(out.resolve(offerName.replace(".sdp", ".answer.sdp")), answer, StandardCharsets.UTF_8);
        }
    }
}
