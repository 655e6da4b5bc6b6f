package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Active speaker (issue: media quality, test 5): two publishers whose microphones are replaced by
 * a WebAudio oscillator each, one playing a tone and one silent; the node's `active-speaker`
 * names the tone, and follows within 2 s when the two swap.
 */
class ActiveSpeakerTest {

    private static final Duration SWAP_LIMIT = Duration.ofSeconds(2);

    private static TestRig rig;
    private static NodeProcess node;
    private static BrowserDriver browser;

    @BeforeAll
    static void start() throws Exception {
        rig = TestRig.single("speaker", 19120, 42120);
        node = rig.node();
        browser = rig.browser();
    }

    @AfterAll
    static void stop() throws Exception {
        TestRig.close(rig);
    }

    /** Replaces the page's published microphone with an oscillator behind a gain (0: silence). */
    private static void useTone(BrowserPage page) throws Exception {
        page.eval("""
                (async () => {
                  const ctx = new AudioContext();
                  await ctx.resume();
                  const oscillator = ctx.createOscillator();
                  oscillator.frequency.value = 440;
                  const gain = ctx.createGain();
                  gain.gain.value = 0;
                  const out = ctx.createMediaStreamDestination();
                  oscillator.connect(gain).connect(out);
                  oscillator.start();
                  const sender = window.sfu.publishPc.getSenders().find((s) => s.track && s.track.kind === 'audio');
                  await sender.replaceTrack(out.stream.getAudioTracks()[0]);
                  window.toneGain = gain;
                  return true;
                })()""");
    }

    private static void setTone(BrowserPage page, boolean on) throws Exception {
        page.eval("window.toneGain.gain.value = " + (on ? "0.5" : "0"));
    }

    private static String activeSpeaker(BrowserPage page) throws Exception {
        JsonNode last = page.eval(
                "window.sfu.events.filter((e) => e.type === 'active-speaker').map((e) => e.participantId).pop() || null");
        return last == null || last.isNull() ? null : last.asText();
    }

    private static Duration awaitSpeaker(BrowserPage page, String participantId, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (participantId.equals(activeSpeaker(page))) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(50);
        }
        throw new AssertionError(page.name() + " did not see " + participantId + " as active speaker within " + timeout
                + "; saw " + activeSpeaker(page));
    }

    @Test
    void theToneIsDominantAndTheEventFollowsASwap() throws Exception {
        String room = "speakers";
        BrowserPage alice = browser.open("spk-alice", SingleNodeCallTest.roomUrl(node, room, "alice"));
        BrowserPage bob = browser.open("spk-bob", SingleNodeCallTest.roomUrl(node, room, "bob"));
        BrowserPage watcher = browser.open("spk-watch", SingleNodeCallTest.roomUrl(node, room, "watch") + "&publish=0");
        for (BrowserPage page : new BrowserPage[] {alice, bob, watcher}) {
            page.awaitState("joined", Duration.ofSeconds(20));
        }
        String aliceId = alice.participantId();
        String bobId = bob.participantId();
        watcher.awaitInbound(s -> s.stream().filter(i -> i.kind().equals("audio")).count() == 2
                && s.stream().allMatch(i -> i.packetsReceived() > 50), Duration.ofSeconds(30));
        useTone(alice);
        useTone(bob);
        setTone(alice, true);
        Duration first = awaitSpeaker(watcher, aliceId, Duration.ofSeconds(10));

        setTone(alice, false);
        setTone(bob, true);
        Duration toBob = awaitSpeaker(watcher, bobId, Duration.ofSeconds(10));

        setTone(bob, false);
        setTone(alice, true);
        Duration backToAlice = awaitSpeaker(watcher, aliceId, Duration.ofSeconds(10));
        System.out.printf("active speaker: tone dominant after %d ms; swap followed in %d ms and %d ms%n",
                first.toMillis(), toBob.toMillis(), backToAlice.toMillis());
        assertThat(toBob).isLessThanOrEqualTo(SWAP_LIMIT);
        assertThat(backToAlice).isLessThanOrEqualTo(SWAP_LIMIT);
        assertThat(activeSpeaker(alice)).as("the speakers hear it too").isEqualTo(aliceId);
        assertThat(watcher.eval("document.querySelector('.tile.speaking').dataset.participant").asText())
                .as("the web client marks the speaker").isEqualTo(aliceId);
        assertThat(watcher.eval("document.getElementById('grid').classList.contains('speaker-view')").asBoolean())
                .as("a grid of three").isFalse();

        // Seven more (receive nothing, publish nothing) make ten: the web client turns to a speaker view.
        for (int i = 0; i < 7; i++) {
            browser.open("spk-extra-" + i, SingleNodeCallTest.roomUrl(node, room, "extra" + i)
                    + "&publish=0&autoSubscribe=0").awaitState("joined", Duration.ofSeconds(20));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!watcher.eval("document.getElementById('grid').classList.contains('speaker-view')").asBoolean()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(watcher.eval("document.querySelector('.tile.featured').dataset.participant").asText())
                .as("speaker view features the active speaker").isEqualTo(aliceId);
    }
}
