package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real calls through one real node JVM between headless Chromium pages running the node's own
 * web client (issue: single-node SFU, tests 2 and 3).
 */
@ExtendWith(InteropRecorder.class)
public class SingleNodeCallTest {

    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(40);
    private static TestRig rig;
    private static NodeProcess node;
    private static BrowserDriver browser;

    @BeforeAll
    static void start() throws Exception {
        rig = TestRig.single("single", 18080, 41000);
        node = rig.node();
        browser = rig.browser();
    }

    @AfterAll
    static void stop() throws Exception {
        TestRig.close(rig);
    }

    public static String roomUrl(NodeProcess node, String room, String name) {
        return node.url("/?neighbourhood=neighbourhood%3A%2F%2Ftest&room=" + room + "&name=" + name + "&autojoin=1");
    }

    /** True when {@code stats} shows decoded video and received audio from every one of {@code from}. */
    public static boolean receivesFromAll(List<BrowserPage.Inbound> stats, List<String> from, long minFrames) {
        for (String participant : from) {
            boolean video = stats.stream().anyMatch(s -> s.kind().equals("video") && participant.equals(s.participantId())
                    && s.framesDecoded() >= minFrames && s.frameWidth() > 0);
            boolean audio = stats.stream().anyMatch(s -> s.kind().equals("audio") && participant.equals(s.participantId())
                    && s.packetsReceived() > 0);
            if (!video || !audio) {
                return false;
            }
        }
        return true;
    }

    private static long audioPackets(List<BrowserPage.Inbound> stats, String from) {
        return stats.stream().filter(s -> s.kind().equals("audio") && from.equals(s.participantId()))
                .mapToLong(BrowserPage.Inbound::packetsReceived).sum();
    }

    @Test
    @InteropCell(stack = "chromium", cell = "two-way", bundlePolicy = "max-bundle")
    @InteropCell(stack = "chromium", cell = "leave")
    void threeBrowsersDecodeEachOtherAndSeeTwoLeave() throws Exception {
        String room = "three-" + UUID.randomUUID().toString().substring(0, 8);
        List<BrowserPage> pages = new ArrayList<>();
        Map<BrowserPage, String> ids = new HashMap<>();
        for (String name : List.of("alice", "bob", "carol")) {
            BrowserPage page = browser.open(room + "-" + name, roomUrl(node, room, name));
            page.awaitState("joined", Duration.ofSeconds(20));
            pages.add(page);
            ids.put(page, page.participantId());
        }
        for (BrowserPage page : pages) {
            List<String> others = pages.stream().filter(p -> p != page).map(ids::get).toList();
            List<BrowserPage.Inbound> stats = page.awaitInbound(s -> receivesFromAll(s, others, 60), MEDIA_TIMEOUT);
            // Audio keeps flowing, not just arrived once.
            Map<String, Long> before = new HashMap<>();
            others.forEach(o -> before.put(o, audioPackets(stats, o)));
            page.awaitInbound(s -> others.stream().allMatch(o -> audioPackets(s, o) > before.get(o) + 10),
                    Duration.ofSeconds(10));
        }

        BrowserPage carol = pages.get(2);
        String carolId = ids.get(carol);
        carol.close();

        for (BrowserPage page : pages.subList(0, 2)) {
            awaitEvent(page, e -> e.path("type").asText().equals("participant-left")
                    && e.path("participantId").asText().equals(carolId), Duration.ofSeconds(30));
            // Carol's two m-lines are rejected (the first m-line, if hers, made inactive) in a
            // renegotiation; the other participant's stay.
            awaitTrue(page, "window.sfu.subscribePc.getTransceivers()"
                    + ".filter(t => t.currentDirection === 'recvonly').length === 2", Duration.ofSeconds(15));
        }

        // Bob closes his peer connections and says nothing on the socket: the close_notify is his
        // leave, announced at once (not after the socket's grace or the consent timeout).
        BrowserPage alice = pages.get(0);
        String bobId = ids.get(pages.get(1));
        pages.get(1).eval("(window.sfu.publishPc.close(), window.sfu.subscribePc.close(), true)");
        awaitEvent(alice, e -> e.path("type").asText().equals("participant-left")
                && e.path("participantId").asText().equals(bobId)
                && e.path("reason").asText().equals("leave"), Duration.ofSeconds(5));
    }

    @Test
    @InteropCell(stack = "chromium", cell = "late-join")
    void lateJoinerDecodesEveryoneWithinTwoSeconds() throws Exception {
        String room = "late-" + UUID.randomUUID().toString().substring(0, 8);
        BrowserPage alice = browser.open(room + "-alice", roomUrl(node, room, "alice"));
        BrowserPage bob = browser.open(room + "-bob", roomUrl(node, room, "bob"));
        alice.awaitState("joined", Duration.ofSeconds(20));
        bob.awaitState("joined", Duration.ofSeconds(20));
        List<String> publishers = List.of(alice.participantId(), bob.participantId());
        alice.awaitInbound(s -> receivesFromAll(s, List.of(publishers.get(1)), 1), MEDIA_TIMEOUT);
        Thread.sleep(5000); // the late joiner comes once both have published for 5 s (their keyframes long past)

        BrowserPage late = browser.open(room + "-late", roomUrl(node, room, "late"));
        Map<String, Double> firstFrameMillis = late.firstVideoFrameMillisSinceJoin(publishers,
                Duration.ofSeconds(20));
        firstFrameMillis.values().forEach(ms -> InteropResults.firstFrame("chromium", ms));
        System.out.println("late joiner: first decoded frame after joining (ms): " + firstFrameMillis);
        assertThat(firstFrameMillis).containsOnlyKeys(publishers);
        assertThat(firstFrameMillis.values()).allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(2000.0));
    }

    /**
     * A receiver whose publishers come and go keeps decoding each new one, and its subscribe
     * connection stays as large as what it receives at once: the m-lines of tracks that went are
     * rejected, then recycled (new mids, same places) for the next tracks of their kind.
     */
    @Test
    void publishersComingAndGoingReuseTheReceiversMLines() throws Exception {
        String room = "churn-" + UUID.randomUUID().toString().substring(0, 8);
        BrowserPage bob = browser.open(room + "-bob", roomUrl(node, room, "bob") + "&publish=0");
        bob.awaitState("joined", Duration.ofSeconds(20));
        java.util.Set<String> mids = new java.util.TreeSet<>();
        int mostMLines = 0;
        for (int cycle = 0; cycle < 4; cycle++) {
            BrowserPage alice = browser.open(room + "-alice" + cycle, roomUrl(node, room, "alice" + cycle));
            alice.awaitState("joined", Duration.ofSeconds(20));
            String aliceId = alice.participantId();
            bob.awaitInbound(stats -> receivesFromAll(stats, List.of(aliceId), 30), MEDIA_TIMEOUT);
            JsonNode lines = bob.eval("window.sfu.subscribePc.remoteDescription.sdp.split('\\n')"
                    + ".filter(l => l.startsWith('m=') || l.startsWith('a=mid:'))");
            int mLines = 0;
            for (JsonNode line : lines) {
                if (line.asText().startsWith("m=")) {
                    mLines++;
                } else {
                    mids.add(line.asText().trim().substring("a=mid:".length()));
                }
            }
            mostMLines = Math.max(mostMLines, mLines);

            alice.eval("(document.getElementById('leave').click(), true)");
            awaitEvent(bob, e -> e.path("type").asText().equals("participant-left")
                    && e.path("participantId").asText().equals(aliceId), Duration.ofSeconds(20));
            // The offer that rejects alice's m-lines is answered before the next alice comes.
            awaitTrue(bob, "window.sfu.subscribePc.getTransceivers()"
                    + ".filter(t => t.currentDirection === 'recvonly').length === 0"
                    + " && window.sfu.subscribePc.signalingState === 'stable'", Duration.ofSeconds(15));
            alice.close();
        }
        System.out.println("receiver's subscribe connection: at most " + mostMLines + " m-lines; mids seen " + mids);
        assertThat(mostMLines).as("m-lines for one audio and one video track at a time").isLessThanOrEqualTo(3);
        assertThat(mids.size()).as("each new track got a new mid").isGreaterThan(mostMLines);
    }

    static void awaitEvent(BrowserPage page, java.util.function.Predicate<JsonNode> match, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode event : page.events()) {
                if (match.test(event)) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("page " + page.name() + " never got the expected event; got " + page.eventTypes()
                + "; of them (offers, answers and pongs left out): " + java.util.stream.StreamSupport
                .stream(page.events().spliterator(), false)
                .filter(e -> !List.of("offer", "answer", "pong").contains(e.path("type").asText())).toList());
    }

    static void awaitTrue(BrowserPage page, String js, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (page.eval(js).asBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("on page " + page.name() + " this never became true: " + js);
    }
}
