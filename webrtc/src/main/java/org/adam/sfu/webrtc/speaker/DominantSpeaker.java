package org.adam.sfu.webrtc.speaker;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks one room's dominant speaker from its participants' audio levels (RFC 6464: 0 is the
 * loudest, 127 silence), robust to coughs, clicks and steady background noise.
 *
 * <p>The method follows the idea of Volfin and Cohen's dominant speaker identification: speech
 * activity is judged on three time scales, and a challenger must beat the current speaker on all
 * of them. Time is cut into 20 ms slots (one Opus packet each). A slot is <em>active</em> when the
 * level is at least {@value #ACTIVE_ABOVE_FLOOR_DB} dB above the speaker's noise floor and louder
 * than {@value #LOUDEST_NOISE} (the floor follows quiet slots quickly and loud ones slowly, so a
 * fan or a hum becomes the floor within seconds). Per speaker:
 * <ul>
 *   <li>immediate: mean loudness above the floor over the last 200 ms;</li>
 *   <li>medium: the share of active slots over the last 800 ms;</li>
 *   <li>long: the share of active slots over the last 1.5 s.</li>
 * </ul>
 * A challenger takes over only if its medium share is at least one half and beats the dominant
 * speaker's by a fifth, its long share is higher, and it is louder right now. A 200 ms cough is
 * at most a quarter of the medium window, so it never takes over; someone who starts talking
 * while the dominant speaker falls silent takes over after about 0.75 s. Missing packets count
 * as silence, so a speaker who stops sending loses.
 *
 * <p>Single-threaded (the media event loop); nothing allocates per packet.
 */
public final class DominantSpeaker {

    static final int SLOT_MS = 20;
    private static final int SLOTS = 128;
    private static final int IMMEDIATE = 10;
    private static final int MEDIUM = 40;
    private static final int LONG = 75;
    static final int ACTIVE_ABOVE_FLOOR_DB = 15;
    static final int LOUDEST_NOISE = 60;
    private static final double MIN_MEDIUM_SHARE = 0.5;
    private static final double MEDIUM_MARGIN = 0.2;
    /** Per slot: the floor rises (towards quieter) fast and sinks (towards louder) at 1 dB/s. */
    private static final double FLOOR_RISE = 0.2;
    private static final double FLOOR_SINK_PER_SLOT = 0.02;

    /** One participant's recent activity; created by {@link #addSpeaker}. */
    public static final class Speaker {
        private final String id;
        private final byte[] loudness = new byte[SLOTS];
        private long lastSlot = -1;
        private double floor = 127;
        private double immediate;
        private double medium;
        private double longShare;

        private Speaker(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private final List<Speaker> speakers = new ArrayList<>();
    private Speaker dominant;

    public Speaker addSpeaker(String id) {
        Speaker speaker = new Speaker(id);
        speakers.add(speaker);
        return speaker;
    }

    public void removeSpeaker(String id) {
        speakers.removeIf(s -> s.id.equals(id));
        if (dominant != null && dominant.id.equals(id)) {
            dominant = null;
        }
    }

    /** One audio packet's level; per packet, so cheap. */
    public void onAudioLevel(Speaker speaker, int level, long nowMillis) {
        long slot = nowMillis / SLOT_MS;
        advance(speaker, slot);
        int db = Math.max(0, Math.min(127, level));
        if (db > speaker.floor) {
            speaker.floor += (db - speaker.floor) * FLOOR_RISE;
        } else {
            speaker.floor = Math.max(db, speaker.floor - FLOOR_SINK_PER_SLOT);
        }
        double above = speaker.floor - db;
        int loud = db <= LOUDEST_NOISE && above >= ACTIVE_ABOVE_FLOOR_DB ? (int) Math.min(127, above) : 0;
        int index = (int) (slot % SLOTS);
        if (loud > speaker.loudness[index]) {
            speaker.loudness[index] = (byte) loud;
        }
    }

    /** Clears the slots a speaker sent nothing for (silence) up to {@code slot}. */
    private static void advance(Speaker speaker, long slot) {
        if (speaker.lastSlot < 0) {
            speaker.lastSlot = slot;
            return;
        }
        long from = Math.max(speaker.lastSlot + 1, slot - SLOTS + 1);
        for (long s = from; s <= slot; s++) {
            speaker.loudness[(int) (s % SLOTS)] = 0;
        }
        speaker.lastSlot = Math.max(speaker.lastSlot, slot);
    }

    /**
     * Decides; call a few times a second.
     *
     * @return the dominant speaker's id, or null while nobody has spoken
     */
    public String evaluate(long nowMillis) {
        long now = nowMillis / SLOT_MS;
        Speaker best = null;
        for (Speaker speaker : speakers) {
            score(speaker, now);
            if (speaker != dominant && (best == null || speaker.medium > best.medium
                    || (speaker.medium == best.medium && speaker.immediate > best.immediate))) {
                best = speaker;
            }
        }
        if (best != null && best.medium >= MIN_MEDIUM_SHARE && (dominant == null || beats(best, dominant))) {
            dominant = best;
        }
        return dominant == null ? null : dominant.id;
    }

    private static boolean beats(Speaker challenger, Speaker dominant) {
        return challenger.medium >= dominant.medium + MEDIUM_MARGIN
                && challenger.longShare > dominant.longShare
                && challenger.immediate > dominant.immediate;
    }

    private static void score(Speaker speaker, long now) {
        if (speaker.lastSlot < 0) {
            return;
        }
        advance(speaker, now);
        int loudSum = 0;
        int active = 0;
        int activeMedium = 0;
        // The current slot may still be filling; the windows end at the last complete one.
        for (int back = 1; back <= LONG; back++) {
            int loud = speaker.loudness[(int) ((now - back) % SLOTS)];
            if (back <= IMMEDIATE) {
                loudSum += loud;
            }
            if (loud > 0) {
                active++;
                if (back <= MEDIUM) {
                    activeMedium++;
                }
            }
        }
        speaker.immediate = (double) loudSum / IMMEDIATE;
        speaker.medium = (double) activeMedium / MEDIUM;
        speaker.longShare = (double) active / LONG;
    }
}
