package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

/**
 * Late joiners that never ask for a keyframe (aiortc clients with PLI turned off, as a recorder
 * would be) must still decode every publisher's video within 2 s of `joined`: the node has to
 * get them a keyframe by itself. Chromium asks for one whenever it cannot decode, so the browser
 * tests cannot show this; aiortc 1.4 asks only after packet loss.
 */
class LateJoinKeyframeTest {

    /** The bound a late joiner's first decoded video frame of each publisher must meet. */
    private static final double LATE_JOIN_BOUND_SECONDS = 2.0;
    /** How long past the bound to keep looking, so a failure says how late the frame was. */
    private static final Duration LATE_JOIN_WAIT = Duration.ofSeconds(5);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void lateJoinerWithoutPliDecodesEveryoneOnOneNode() throws Exception {
        try (NodeProcess node = NodeProcess.start("latejoin", 19240, 42240); Clients clients = new Clients()) {
            String room = "late-one-node";
            AiortcClient a = clients.start("alice", node, room);
            AiortcClient b = clients.start("bob", node, room);
            String aId = a.awaitJoined(JOIN_TIMEOUT);
            String bId = b.awaitJoined(JOIN_TIMEOUT);
            // The first two, with aiortc's usual keyframe requests, call each other.
            double aDecodesB = a.awaitFirstVideoFrom(bId, CALL_TIMEOUT);
            double bDecodesA = b.awaitFirstVideoFrom(aId, CALL_TIMEOUT);
            System.out.printf("one node: alice decodes bob %.3f s after joined, bob decodes alice %.3f s%n",
                    aDecodesB, bDecodesA);
            awaitSteadyCall(a, b);

            List<Long> requestsBefore = List.of(a.keyframeRequests(), b.keyframeRequests());
            AiortcClient c = clients.start("carol", node, room, "--no-pli");
            String cId = c.awaitJoined(JOIN_TIMEOUT);
            assertLateJoinerDecodes(c, "one node", List.of(a, b), requestsBefore);
            // And the publishers, already in the call, decode the late joiner.
            assertThat(a.awaitFirstVideoFrom(cId, CALL_TIMEOUT)).isPositive();
            assertThat(b.awaitFirstVideoFrom(cId, CALL_TIMEOUT)).isPositive();
        }
    }

    @Test
    void lateJoinerWithoutPliDecodesEveryoneAcrossACascade() throws Exception {
        try (NodeCluster cluster = NodeCluster.start(19250, List.of("late1", "late2"));
                Clients clients = new Clients()) {
            String room = "late-cascade";
            NodeProcess one = cluster.node(0);
            NodeProcess two = cluster.node(1);
            AiortcClient a = clients.start("alice", one, room, "--no-pli");
            String aId = a.awaitJoined(JOIN_TIMEOUT);
            AiortcClient b = clients.start("bob", two, room, "--no-pli");
            String bId = b.awaitJoined(JOIN_TIMEOUT);
            // A two-way call across the pipe, neither side ever asking for a keyframe.
            double aDecodesB = a.awaitFirstVideoFrom(bId, CALL_TIMEOUT);
            double bDecodesA = b.awaitFirstVideoFrom(aId, CALL_TIMEOUT);
            System.out.printf("cascade: alice (node 1) decodes bob %.3f s after joined, bob (node 2) decodes"
                    + " alice %.3f s%n", aDecodesB, bDecodesA);
            awaitSteadyCall(a, b);

            List<Long> requestsBefore = List.of(a.keyframeRequests(), b.keyframeRequests());
            AiortcClient c = clients.start("carol", two, room, "--no-pli");
            String cId = c.awaitJoined(JOIN_TIMEOUT);
            assertLateJoinerDecodes(c, "cascade, late joiner on node 2", List.of(a, b), requestsBefore);
            assertThat(a.awaitFirstVideoFrom(cId, CALL_TIMEOUT)).isPositive();
            assertThat(b.awaitFirstVideoFrom(cId, CALL_TIMEOUT)).isPositive();
        }
    }

    /**
     * Waits for a second of video each way, so the late joiner comes well after the publishers'
     * first keyframes (aiortc sends further ones only when asked).
     */
    private static void awaitSteadyCall(AiortcClient a, AiortcClient b) throws InterruptedException {
        a.awaitVideoFramesFrom(b.participantId(), 30, CALL_TIMEOUT);
        b.awaitVideoFramesFrom(a.participantId(), 30, CALL_TIMEOUT);
    }

    /** The test's clients, closed (each leaving the call) before the nodes they are connected to. */
    private static final class Clients implements AutoCloseable {
        private final List<AiortcClient> started = new ArrayList<>();

        AiortcClient start(String name, NodeProcess node, String room, String... options) throws Exception {
            AiortcClient client = AiortcClient.start(name, node.signalUrl(), room, options);
            started.add(client);
            return client;
        }

        @Override
        public void close() throws InterruptedException {
            for (AiortcClient client : started) {
                client.close();
            }
        }
    }

    /**
     * Waits (a little past the bound, to be able to say how late) for the first decoded video frame
     * of each publisher, then checks every one came within {@link #LATE_JOIN_BOUND_SECONDS}. The
     * report also says how many keyframes the node asked each publisher for since {@code late}
     * was started ({@code requestsBefore}: the publishers' counts then).
     */
    private static void assertLateJoinerDecodes(AiortcClient late, String where, List<AiortcClient> publishers,
            List<Long> requestsBefore) throws InterruptedException {
        long deadline = System.nanoTime() + LATE_JOIN_WAIT.toNanos();
        for (AiortcClient publisher : publishers) {
            try {
                late.awaitFirstVideoFrom(publisher.participantId(),
                        Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (AssertionError notYet) {
                // reported below with the others
            }
        }
        List<String> report = new ArrayList<>();
        for (int i = 0; i < publishers.size(); i++) {
            AiortcClient client = publishers.get(i);
            String publisher = client.participantId();
            OptionalDouble video = late.firstFrameFrom(publisher, "video");
            OptionalDouble audio = late.firstFrameFrom(publisher, "audio");
            report.add(String.format("%s: video %s, audio %s (frames decoded: video %d, audio %d; keyframe"
                            + " requests the node sent %s since the late joiner started: %d)", client.name(),
                    video.isPresent() ? String.format("%.3f s", video.getAsDouble()) : "none yet",
                    audio.isPresent() ? String.format("%.3f s", audio.getAsDouble()) : "none yet",
                    late.videoFramesFrom(publisher), late.audioFramesFrom(publisher), client.name(),
                    client.keyframeRequests() - requestsBefore.get(i)));
        }
        System.out.printf("%s: %s, first decoded frames after joined: %s%n", where, late.name(), report);
        for (AiortcClient publisher : publishers) {
            OptionalDouble video = late.firstFrameFrom(publisher.participantId(), "video");
            String what = String.format("%s: %s's first decoded video frame of %s, seconds after joined (%s)",
                    where, late.name(), publisher.name(), report);
            assertThat(video).as(what).isPresent();
            assertThat(video.getAsDouble()).as(what).isLessThanOrEqualTo(LATE_JOIN_BOUND_SECONDS);
        }
    }
}
