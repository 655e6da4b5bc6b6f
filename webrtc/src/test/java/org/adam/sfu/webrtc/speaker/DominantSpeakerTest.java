package org.adam.sfu.webrtc.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongToIntFunction;

import org.junit.jupiter.api.Test;

/** The detector driven in simulated time: one level per speaker every 20 ms, a decision every 300 ms. */
class DominantSpeakerTest {

    private static final int TONE = 25;
    private static final int SILENCE = 127;

    private final DominantSpeaker detector = new DominantSpeaker();
    private final Map<String, DominantSpeaker.Speaker> handles = new HashMap<>();
    private final Map<String, LongToIntFunction> levels = new HashMap<>();
    private long now = 50_000;
    private String dominant;

    private void speaker(String id, LongToIntFunction level) {
        handles.put(id, detector.addSpeaker(id));
        levels.put(id, level);
    }

    /** Runs {@code millis}; returns when {@code expected} first became dominant (ms from start), or -1. */
    private long run(long millis, String expected) {
        long start = now;
        long became = -1;
        for (long t = 0; t < millis; t += DominantSpeaker.SLOT_MS) {
            now += DominantSpeaker.SLOT_MS;
            for (var entry : levels.entrySet()) {
                int level = entry.getValue().applyAsInt(now);
                if (level >= 0) {
                    detector.onAudioLevel(handles.get(entry.getKey()), level, now);
                }
            }
            if (t % 300 == 0) {
                dominant = detector.evaluate(now);
                if (became < 0 && expected != null && expected.equals(dominant)) {
                    became = now - start;
                }
            }
        }
        return became;
    }

    @Test
    void aToneBecomesDominantAndASwapFollowsWithinTwoSeconds() {
        boolean[] aTalks = {true};
        speaker("a", t -> aTalks[0] ? TONE : SILENCE);
        speaker("b", t -> aTalks[0] ? SILENCE : TONE);
        assertThat(run(3000, "a")).isBetween(0L, 1500L);
        aTalks[0] = false;
        long swap = run(3000, "b");
        assertThat(swap).as("follows the new talker").isBetween(0L, 2000L);
        assertThat(dominant).isEqualTo("b");
    }

    @Test
    void aCoughNeverTakesOver() {
        speaker("talker", t -> (t / 2000) % 3 == 2 && t % 2000 < 300 ? SILENCE : 30); // spurts with pauses
        long[] coughAt = {55_000};
        speaker("cougher", t -> t >= coughAt[0] && t < coughAt[0] + 200 ? 5 : SILENCE);
        run(10_000, null);
        assertThat(dominant).isEqualTo("talker");
        coughAt[0] = now + 1000;
        run(5000, null);
        assertThat(dominant).isEqualTo("talker");
    }

    @Test
    void steadyBackgroundNoiseDoesNotBeatATalker() {
        speaker("noisy", t -> 70 + (int) (t % 7));
        speaker("talker", t -> t % 2500 < 300 ? SILENCE : 35);
        run(20_000, null);
        assertThat(dominant).isEqualTo("talker");
    }

    @Test
    void aSpeakerWhoStopsSendingLosesToOneWhoTalks() {
        long[] stopAt = {Long.MAX_VALUE};
        speaker("a", t -> t < stopAt[0] ? TONE : -1);
        speaker("b", t -> t < stopAt[0] ? SILENCE : TONE);
        run(3000, null);
        assertThat(dominant).isEqualTo("a");
        stopAt[0] = now;
        assertThat(run(3000, "b")).isBetween(0L, 2000L);
    }

    @Test
    void removingTheDominantSpeakerLetsAnotherTakeOver() {
        speaker("a", t -> TONE);
        speaker("b", t -> 40);
        run(3000, null);
        String first = dominant;
        detector.removeSpeaker(first);
        levels.remove(first);
        run(1000, null);
        assertThat(dominant).isNotNull().isNotEqualTo(first);
    }

    @Test
    void oneTalkerAmongTenSilentOnes() {
        for (int i = 0; i < 10; i++) {
            int speakerIndex = i;
            speaker("p" + i, t -> speakerIndex == 7 ? TONE : SILENCE);
        }
        assertThat(run(3000, "p7")).isBetween(0L, 1500L);
    }
}
