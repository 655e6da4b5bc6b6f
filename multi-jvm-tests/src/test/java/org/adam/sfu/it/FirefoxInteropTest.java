package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Firefox ESR and Chromium in calls through one real node, both running the node's web client:
 * each decodes the other, a late Firefox joiner starts within 2 s, and publishers made to use
 * H.264, VP9 or AV1 (the web client's {@code codec=} parameter) reach both browsers.
 *
 * <p>Pages use the web client's default bundle policy, max-bundle, with which Firefox offers its
 * second m-line with port 0 and {@code a=bundle-only} (bundled, RFC 8843 6); one test checks that
 * explicitly, one uses balanced.
 */
@ExtendWith(InteropRecorder.class)
class FirefoxInteropTest {

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(30);
    private static TestRig rig;
    private static NodeProcess node;
    private static BrowserDriver chromium;
    private static BrowserDriver firefox;
    private final List<BrowserPage> opened = new java.util.ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        // Firefox takes about as long to start as the node: start both at once.
        java.util.concurrent.CompletableFuture<BrowserDriver> starting = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return BrowserDriver.start(BrowserDriver.Browser.FIREFOX);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
        try {
            rig = TestRig.single("firefox", 19200, 42200);
        } finally {
            firefox = starting.join();
        }
        node = rig.node();
        chromium = rig.browser();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (firefox != null) {
                firefox.close();
            }
        } finally {
            TestRig.close(rig);
        }
    }

    /** Every test's pages are closed after it, so the two cores only run the call under test. */
    @AfterEach
    void closePages() throws Exception {
        for (BrowserPage page : opened) {
            page.close();
        }
        opened.clear();
    }

    private BrowserPage open(BrowserDriver browser, String room, String name, String extra) throws Exception {
        BrowserPage page = browser.open(room + "-" + name, node.url("/?neighbourhood=neighbourhood%3A%2F%2Ftest&room="
                + room + "&name=" + name + "&autojoin=1" + extra));
        opened.add(page);
        return page;
    }

    private BrowserPage joined(BrowserDriver browser, String room, String name, String extra) throws Exception {
        BrowserPage page = open(browser, room, name, extra);
        page.awaitState("joined", JOIN_TIMEOUT);
        return page;
    }

    private static String room(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The page's inbound-rtp entries as the web client reports them (codec and audio samples included). */
    private static List<JsonNode> inbound(BrowserPage page) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        page.eval("window.sfu.inboundStats()").forEach(out::add);
        return out;
    }

    private static List<JsonNode> awaitInbound(BrowserPage page, Predicate<List<JsonNode>> probe, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> last = List.of();
        while (System.nanoTime() < deadline) {
            last = inbound(page);
            if (probe.test(last)) {
                return last;
            }
            // The poll interval of a loop bounded by its deadline, not a wait for the condition.
            Thread.sleep(200);
        }
        throw new AssertionError("page " + page.name() + " did not reach the expected media state within " + timeout
                + "; last stats: " + last + "; events: " + page.eventTypes());
    }

    private static JsonNode entry(List<JsonNode> stats, String kind, String from) {
        return stats.stream().filter(s -> s.path("kind").asText().equals(kind)
                && from.equals(s.path("participantId").asText())).findFirst().orElse(null);
    }

    /** Decoded video ({@code minFrames} frames of some width) from {@code from}. */
    private static boolean decodesVideo(List<JsonNode> stats, String from, long minFrames) {
        JsonNode video = entry(stats, "video", from);
        return video != null && video.path("framesDecoded").asLong() >= minFrames && video.path("frameWidth").asInt() > 0;
    }

    /** Audio from {@code from} that the browser decoded into samples. */
    private static boolean decodesAudio(List<JsonNode> stats, String from) {
        JsonNode audio = entry(stats, "audio", from);
        return audio != null && audio.path("packetsReceived").asLong() > 0 && audio.path("totalSamplesReceived").asLong() > 0;
    }

    /** The MIME type of the video the page publishes (outbound-rtp's codec), or null. */
    private static String publishedVideoCodec(BrowserPage page) throws Exception {
        return page.eval("(async () => { const pc = window.sfu.publishPc; if (!pc) return null;"
                + " const r = await pc.getStats(); let m = null;"
                + " r.forEach((s) => { if (s.type === 'outbound-rtp' && s.kind === 'video' && s.codecId && r.get(s.codecId))"
                + " m = r.get(s.codecId).mimeType; }); return m; })()").asText(null);
    }

    private static void awaitPublishedCodec(BrowserPage page, String mimeType) throws Exception {
        long deadline = System.nanoTime() + MEDIA_TIMEOUT.toNanos();
        String codec = null;
        while (System.nanoTime() < deadline) {
            codec = publishedVideoCodec(page);
            if (mimeType.equalsIgnoreCase(codec)) {
                return;
            }
            // The poll interval of a loop bounded by its deadline, not a wait for the condition.
            Thread.sleep(200);
        }
        throw new AssertionError("page " + page.name() + " publishes " + codec + ", not " + mimeType);
    }

    private static String summary(List<JsonNode> stats, String from) {
        JsonNode video = entry(stats, "video", from);
        JsonNode audio = entry(stats, "audio", from);
        return "video " + (video == null ? "none" : video.path("codec").asText() + " framesDecoded="
                + video.path("framesDecoded").asLong() + " " + video.path("frameWidth").asInt() + "x"
                + video.path("frameHeight").asInt())
                + ", audio " + (audio == null ? "none" : "packets=" + audio.path("packetsReceived").asLong()
                + " samples=" + audio.path("totalSamplesReceived").asLong());
    }

    @Test
    @InteropCell(stack = "firefox-esr", cell = "two-way", bundlePolicy = "balanced")
    @InteropCell(stack = "chromium", cell = "two-way", bundlePolicy = "max-bundle")
    @InteropCell(stack = "firefox-esr", cell = "mixed-room")
    @InteropCell(stack = "chromium", cell = "mixed-room")
    @InteropCell(stack = "firefox-esr", cell = "leave")
    void firefoxAndChromiumDecodeEachOther() throws Exception {
        String room = room("mixed");
        BrowserPage fox = joined(firefox, room, "fox", "&bundlePolicy=balanced");
        BrowserPage chrome = joined(chromium, room, "chrome", "");
        String foxId = fox.participantId();
        String chromeId = chrome.participantId();

        List<JsonNode> atFox = awaitInbound(fox, s -> decodesVideo(s, chromeId, 30) && decodesAudio(s, chromeId),
                MEDIA_TIMEOUT);
        List<JsonNode> atChrome = awaitInbound(chrome, s -> decodesVideo(s, foxId, 30) && decodesAudio(s, foxId),
                MEDIA_TIMEOUT);
        System.out.println("Firefox receives Chromium: " + summary(atFox, chromeId));
        System.out.println("Chromium receives Firefox: " + summary(atChrome, foxId));

        // Audio keeps coming both ways, not just a first burst.
        long foxSamples = entry(atFox, "audio", chromeId).path("totalSamplesReceived").asLong();
        long chromeSamples = entry(atChrome, "audio", foxId).path("totalSamplesReceived").asLong();
        awaitInbound(fox, s -> entry(s, "audio", chromeId).path("totalSamplesReceived").asLong() > foxSamples + 48_000,
                Duration.ofSeconds(10));
        awaitInbound(chrome, s -> entry(s, "audio", foxId).path("totalSamplesReceived").asLong() > chromeSamples + 48_000,
                Duration.ofSeconds(10));

        // Firefox's user presses Leave: Chromium is told at once (reason leave, no grace period).
        fox.eval("(document.getElementById('leave').click(), true)");
        SingleNodeCallTest.awaitEvent(chrome, e -> e.path("type").asText().equals("participant-left")
                && e.path("participantId").asText().equals(foxId)
                && e.path("reason").asText().equals("leave"), Duration.ofSeconds(10));
    }

    @Test
    @InteropCell(stack = "firefox-esr", cell = "late-join")
    void lateFirefoxJoinerDecodesEveryPublisherWithinTwoSeconds() throws Exception {
        String room = room("late");
        BrowserPage chrome = joined(chromium, room, "chrome", "");
        BrowserPage fox = joined(firefox, room, "fox", "");
        List<String> publishers = List.of(chrome.participantId(), fox.participantId());
        // Both publish for a while (about 2 s of video) before the late page joins, so it joins mid-stream.
        awaitInbound(chrome, s -> decodesVideo(s, publishers.get(1), 60), MEDIA_TIMEOUT);
        awaitInbound(fox, s -> decodesVideo(s, publishers.get(0), 60), MEDIA_TIMEOUT);

        BrowserPage late = open(firefox, room, "late", "&publish=0");
        Map<String, Double> firstFrameMillis = late.firstVideoFrameMillisSinceJoin(publishers,
                Duration.ofSeconds(20));
        firstFrameMillis.values().forEach(ms -> InteropResults.firstFrame("firefox-esr", ms));
        System.out.println("late Firefox joiner: first decoded frame after joining (ms), Chromium "
                + firstFrameMillis.get(publishers.get(0)) + ", Firefox " + firstFrameMillis.get(publishers.get(1)));
        assertThat(firstFrameMillis).containsOnlyKeys(publishers);
        assertThat(firstFrameMillis.values()).allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(2000.0));
    }

    /**
     * Chromium publishing H.264 to Firefox. Firefox has H.264 for WebRTC only through Cisco's
     * OpenH264 plugin, which it downloads itself; without it (as in a fresh profile offline) it
     * answers the H.264 m-line without H.264, and the node must tell it so (track-unavailable,
     * reason codec) while its audio and a Chromium receiver's H.264 video carry on.
     */
    @Test
    @InteropCell(stack = "chromium", cell = "two-way", codec = "H264")
    void h264PublisherReachesFirefox() throws Exception {
        String room = room("h264");
        BrowserPage publisher = joined(chromium, room, "h264", "&codec=h264");
        awaitPublishedCodec(publisher, "video/H264");
        String publisherId = publisher.participantId();
        BrowserPage fox = joined(firefox, room, "fox", "&publish=0");
        BrowserPage chrome = joined(chromium, room, "chrome", "&publish=0");

        List<JsonNode> atChrome = awaitInbound(chrome, s -> decodesVideo(s, publisherId, 10), MEDIA_TIMEOUT);
        System.out.println("Chromium receives H.264: " + summary(atChrome, publisherId));
        assertThat(entry(atChrome, "video", publisherId).path("codec").asText()).isEqualToIgnoringCase("video/H264");

        boolean foxHasH264 = fox.eval("RTCRtpReceiver.getCapabilities('video').codecs"
                + ".some((c) => c.mimeType.toLowerCase() === 'video/h264')").asBoolean();
        if (foxHasH264) {
            List<JsonNode> atFox = awaitInbound(fox, s -> decodesVideo(s, publisherId, 10), MEDIA_TIMEOUT);
            System.out.println("Firefox receives H.264: " + summary(atFox, publisherId));
            assertThat(entry(atFox, "video", publisherId).path("codec").asText()).isEqualToIgnoringCase("video/H264");
        } else {
            String videoTrack = null;
            for (JsonNode track : fox.eval("window.sfu.tracks")) {
                if (track.path("participantId").asText().equals(publisherId) && track.path("kind").asText().equals("video")) {
                    videoTrack = track.path("trackId").asText();
                }
            }
            assertThat(videoTrack).isNotNull();
            String trackId = videoTrack;
            SingleNodeCallTest.awaitEvent(fox, e -> e.path("type").asText().equals("track-unavailable")
                    && e.path("trackId").asText().equals(trackId) && e.path("reason").asText().equals("codec"),
                    MEDIA_TIMEOUT);
            List<JsonNode> atFox = awaitInbound(fox, s -> decodesAudio(s, publisherId), MEDIA_TIMEOUT);
            System.out.println("Firefox without H.264: track-unavailable (codec) for the video; " + summary(atFox, publisherId));
            assertThat(decodesVideo(atFox, publisherId, 1)).isFalse();
        }
    }

    @Test
    @InteropCell(stack = "chromium", cell = "two-way", codec = "VP9")
    @InteropCell(stack = "chromium", cell = "two-way", codec = "AV1")
    @InteropCell(stack = "firefox-esr", cell = "two-way", codec = "VP9")
    @InteropCell(stack = "firefox-esr", cell = "two-way", codec = "AV1")
    void vp9AndAv1PublishersReachChromiumAndFirefox() throws Exception {
        String room = room("vp9av1");
        BrowserPage vp9 = joined(chromium, room, "vp9", "&codec=vp9");
        BrowserPage av1 = joined(chromium, room, "av1", "&codec=av1");
        awaitPublishedCodec(vp9, "video/VP9");
        awaitPublishedCodec(av1, "video/AV1");
        String vp9Id = vp9.participantId();
        String av1Id = av1.participantId();
        BrowserPage chrome = joined(chromium, room, "chrome", "&publish=0");
        BrowserPage fox = joined(firefox, room, "fox", "&publish=0");

        for (BrowserPage receiver : List.of(chrome, fox)) {
            List<JsonNode> stats = awaitInbound(receiver,
                    s -> decodesVideo(s, vp9Id, 10) && decodesVideo(s, av1Id, 10), MEDIA_TIMEOUT);
            System.out.println(receiver.name() + " receives VP9: " + summary(stats, vp9Id) + "; AV1: " + summary(stats, av1Id));
            assertThat(entry(stats, "video", vp9Id).path("codec").asText()).isEqualToIgnoringCase("video/VP9");
            assertThat(entry(stats, "video", av1Id).path("codec").asText()).isEqualToIgnoringCase("video/AV1");
        }
    }

    /**
     * Firefox with max-bundle offers its video m-line with port 0 and {@code a=bundle-only}
     * (RFC 8829, JSEP, 5.2.1; the attribute is RFC 8843 section 6): the node, which supports BUNDLE,
     * should accept it into the BUNDLE group (RFC 8843 7.3).
     */
    @Test
    @InteropCell(stack = "firefox-esr", cell = "two-way", bundlePolicy = "max-bundle")
    void firefoxMaxBundlePublisherReachesChromium() throws Exception {
        String room = room("maxbundle");
        BrowserPage fox = joined(firefox, room, "fox", "&bundlePolicy=max-bundle");
        String foxId = fox.participantId();
        awaitTrue(fox, "window.sfu.publishPc && window.sfu.publishPc.remoteDescription !== null");
        JsonNode sdp = fox.eval("({offer: window.sfu.publishPc.localDescription.sdp,"
                + " answer: window.sfu.publishPc.remoteDescription.sdp})");
        String videoOffer = section(sdp.path("offer").asText(), "video");
        assertThat(videoOffer).as("Firefox's max-bundle offer").startsWith("m=video 0 ").contains("a=bundle-only");
        String videoMid = attribute(videoOffer, "a=mid:");
        String answer = sdp.path("answer").asText();
        assertThat(attribute(answer, "a=group:BUNDLE ").split(" ")).as("BUNDLE group of the publish answer")
                .contains(videoMid);
        assertThat(section(answer, "video")).as("answer to the bundle-only video m-line").doesNotContain("a=inactive");

        BrowserPage chrome = joined(chromium, room, "chrome", "&publish=0");
        List<JsonNode> stats = awaitInbound(chrome, s -> decodesVideo(s, foxId, 30) && decodesAudio(s, foxId),
                MEDIA_TIMEOUT);
        System.out.println("Chromium receives max-bundle Firefox: " + summary(stats, foxId));
    }

    /** Firefox on one node of a two-node cascade and Chromium on the other decode each other through the pipe. */
    @Test
    @InteropCell(stack = "firefox-esr", cell = "cascade")
    void firefoxAndChromiumDecodeEachOtherAcrossACascade() throws Exception {
        try (NodeCluster cluster = NodeCluster.start(19760, List.of("fx1", "fx2"))) {
            String room = room("cascade");
            BrowserPage chrome = chromium.open(room + "-chrome", SingleNodeCallTest.roomUrl(cluster.node(0), room, "chrome"));
            BrowserPage fox = firefox.open(room + "-fox", SingleNodeCallTest.roomUrl(cluster.node(1), room, "fox"));
            opened.add(chrome);
            opened.add(fox);
            chrome.awaitState("joined", JOIN_TIMEOUT);
            fox.awaitState("joined", JOIN_TIMEOUT);
            String chromeId = chrome.participantId();
            String foxId = fox.participantId();
            List<JsonNode> atFox = awaitInbound(fox, s -> decodesVideo(s, chromeId, 30) && decodesAudio(s, chromeId),
                    MEDIA_TIMEOUT);
            List<JsonNode> atChrome = awaitInbound(chrome, s -> decodesVideo(s, foxId, 30) && decodesAudio(s, foxId),
                    MEDIA_TIMEOUT);
            System.out.println("across the cascade, Firefox receives Chromium: " + summary(atFox, chromeId)
                    + "; Chromium receives Firefox: " + summary(atChrome, foxId));
            closePages();
        }
    }

    /** The m-section of {@code sdp} for {@code kind}, from its m= line to the next. */
    private static String section(String sdp, String kind) {
        int start = sdp.indexOf("m=" + kind + " ");
        assertThat(start).as("m=" + kind + " in " + sdp).isNotNegative();
        int end = sdp.indexOf("\nm=", start);
        return end < 0 ? sdp.substring(start) : sdp.substring(start, end + 1);
    }

    /** The value of the first {@code prefix} line in {@code sdp}. */
    private static String attribute(String sdp, String prefix) {
        int start = sdp.indexOf(prefix);
        assertThat(start).as(prefix + " in " + sdp).isNotNegative();
        int end = sdp.indexOf('\r', start);
        return sdp.substring(start + prefix.length(), end < 0 ? sdp.indexOf('\n', start) : end).trim();
    }

    private static void awaitTrue(BrowserPage page, String js) throws Exception {
        SingleNodeCallTest.awaitTrue(page, js, JOIN_TIMEOUT);
    }
}
