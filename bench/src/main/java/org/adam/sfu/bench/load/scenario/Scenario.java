package org.adam.sfu.bench.load.scenario;

import java.util.ArrayList;
import java.util.List;

import org.adam.sfu.bench.load.client.LoadParticipant.Publishing;

/**
 * Who joins which room and what they send, for one measured run. Publishers join first, so
 * every receiver's first subscribe offer already has all tracks.
 *
 * @param name  {@code fan-out}, {@code many-rooms} or {@code simulcast} (what the report groups by)
 * @param rooms how many rooms the participants are spread over
 */
public record Scenario(String name, int rooms, List<ParticipantPlan> participants) {

    /** 1 publisher (audio and video) to {@code subscribers} receivers in one room. */
    public static Scenario fanOut(int subscribers, String runTag) {
        List<ParticipantPlan> plan = new ArrayList<>();
        String room = "fan-out-" + subscribers + "-" + runTag;
        plan.add(new ParticipantPlan(room, "pub", Publishing.AUDIO_VIDEO, null));
        for (int i = 0; i < subscribers; i++) {
            plan.add(new ParticipantPlan(room, "sub" + i, Publishing.NONE, null));
        }
        return new Scenario("fan-out", 1, plan);
    }

    /** The fan-out across the nodes of a cluster (the signalling spreads the participants). */
    public static Scenario cascade(int subscribers, String runTag) {
        Scenario fanOut = fanOut(subscribers, runTag);
        return new Scenario("cascade", 1, fanOut.participants());
    }

    /** {@code rooms} rooms of {@code size}, everyone publishing audio and video and receiving everyone else. */
    public static Scenario manyRooms(int rooms, int size, String runTag) {
        List<ParticipantPlan> plan = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            for (int p = 0; p < size; p++) {
                plan.add(new ParticipantPlan("rooms-" + r + "-" + runTag, "r" + r + "p" + p, Publishing.AUDIO_VIDEO,
                        null));
            }
        }
        return new Scenario("many-rooms", rooms, plan);
    }

    /**
     * One room of {@code size}: one publisher of three simulcast layers, the others receiving it
     * with {@code set-quality} high, medium and low in turn.
     */
    public static Scenario simulcast(int size, String runTag) {
        List<ParticipantPlan> plan = new ArrayList<>();
        String room = "simulcast-" + size + "-" + runTag;
        plan.add(new ParticipantPlan(room, "pub", Publishing.SIMULCAST, null));
        List<String> qualities = List.of("high", "medium", "low");
        for (int i = 1; i < size; i++) {
            plan.add(new ParticipantPlan(room, "sub" + i, Publishing.NONE, qualities.get((i - 1) % 3)));
        }
        return new Scenario("simulcast", 1, plan);
    }

    public long publishers() {
        return participants.stream().filter(ParticipantPlan::publishes).count();
    }

    /** Participants who receive at least one other participant's tracks. */
    public long subscribers() {
        return participants.stream().filter(p -> expectedStreams(p) > 0).count();
    }

    /** Media streams (audio and video apart) {@code receiver} should get: two per other publisher in its room. */
    public int expectedStreams(ParticipantPlan receiver) {
        int streams = 0;
        for (ParticipantPlan other : participants) {
            if (other != receiver && other.publishes() && other.room().equals(receiver.room())) {
                streams += 2;
            }
        }
        return streams;
    }

    /** Subscriber-tracks the SFU forwards in all. */
    public int forwardedStreams() {
        return participants.stream().mapToInt(this::expectedStreams).sum();
    }
}
