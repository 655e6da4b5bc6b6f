package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Late joiners that never ask for a keyframe (aiortc clients with PLI turned off, as a recorder
 * would be) must still decode every publisher's video within 2 s of `joined`: the node has to
 * get them a keyframe by itself. Chromium asks for one whenever it cannot decode, so the browser
 * tests cannot show this; aiortc 1.4 asks only after packet loss.
 */
@ExtendWith(InteropRecorder.class)
class LateJoinKeyframeTest {

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    @Test
    @InteropCell(stack = "aiortc", cell = "two-way")
    @InteropCell(stack = "aiortc", cell = "late-join")
    @InteropCell(stack = "aiortc", cell = "no-pli")
    @InteropCell(stack = "aiortc", cell = "leave")
    void lateJoinerWithoutPliDecodesEveryoneOnOneNode() throws Exception {
        try (NodeProcess node = NodeProcess.start("latejoin", 19240, 42240); ExternalClients clients = new ExternalClients()) {
            String room = "late-one-node";
            ExternalClient a = aiortc(clients, "alice", node, room);
            ExternalClient b = aiortc(clients, "bob", node, room);
            String aId = a.awaitJoined(JOIN_TIMEOUT);
            String bId = b.awaitJoined(JOIN_TIMEOUT);
            // The first two, with aiortc's usual keyframe requests, call each other.
            double aDecodesB = a.awaitFirstVideoFrom(bId, CALL_TIMEOUT);
            double bDecodesA = b.awaitFirstVideoFrom(aId, CALL_TIMEOUT);
            System.out.printf("one node: alice decodes bob %.3f s after joined, bob decodes alice %.3f s%n",
                    aDecodesB, bDecodesA);
            awaitSteadyCall(a, b);

            List<Long> requestsBefore = LateJoin.keyframeRequests(List.of(a, b));
            ExternalClient c = aiortc(clients, "carol", node, room, "--no-pli");
            String cId = c.awaitJoined(JOIN_TIMEOUT);
            LateJoin.assertDecodesEveryone(c, List.of(a, b), "aiortc", "one node", requestsBefore);
            // And the publishers, already in the call, decode the late joiner.
            assertThat(a.awaitFirstVideoFrom(cId, CALL_TIMEOUT)).isPositive();
            assertThat(b.awaitFirstVideoFrom(cId, CALL_TIMEOUT)).isPositive();
            // And when it leaves, the others are told.
            c.leave();
            a.awaitParticipantLeft(cId, CALL_TIMEOUT);
            b.awaitParticipantLeft(cId, CALL_TIMEOUT);
        }
    }

    @Test
    @InteropCell(stack = "aiortc", cell = "cascade")
    void lateJoinerWithoutPliDecodesEveryoneAcrossACascade() throws Exception {
        try (NodeCluster cluster = NodeCluster.start(19250, List.of("late1", "late2"));
                ExternalClients clients = new ExternalClients()) {
            String room = "late-cascade";
            NodeProcess one = cluster.node(0);
            NodeProcess two = cluster.node(1);
            ExternalClient a = aiortc(clients, "alice", one, room, "--no-pli");
            String aId = a.awaitJoined(JOIN_TIMEOUT);
            ExternalClient b = aiortc(clients, "bob", two, room, "--no-pli");
            String bId = b.awaitJoined(JOIN_TIMEOUT);
            // A two-way call across the pipe, neither side ever asking for a keyframe.
            double aDecodesB = a.awaitFirstVideoFrom(bId, CALL_TIMEOUT);
            double bDecodesA = b.awaitFirstVideoFrom(aId, CALL_TIMEOUT);
            System.out.printf("cascade: alice (node 1) decodes bob %.3f s after joined, bob (node 2) decodes"
                    + " alice %.3f s%n", aDecodesB, bDecodesA);
            awaitSteadyCall(a, b);

            List<Long> requestsBefore = LateJoin.keyframeRequests(List.of(a, b));
            ExternalClient c = aiortc(clients, "carol", two, room, "--no-pli");
            String cId = c.awaitJoined(JOIN_TIMEOUT);
            LateJoin.assertDecodesEveryone(c, List.of(a, b), "aiortc", "cascade, late joiner on node 2",
                    requestsBefore);
            assertThat(a.awaitFirstVideoFrom(cId, CALL_TIMEOUT)).isPositive();
            assertThat(b.awaitFirstVideoFrom(cId, CALL_TIMEOUT)).isPositive();
        }
    }

    /**
     * Waits for a second of video each way, so the late joiner comes well after the publishers'
     * first keyframes (aiortc sends further ones only when asked).
     */
    private static void awaitSteadyCall(ExternalClient a, ExternalClient b) throws InterruptedException {
        a.awaitVideoFramesFrom(b.participantId(), 30, CALL_TIMEOUT);
        b.awaitVideoFramesFrom(a.participantId(), 30, CALL_TIMEOUT);
    }

    private static ExternalClient aiortc(ExternalClients clients, String name, NodeProcess node, String room,
                                         String... options) throws Exception {
        return clients.add(ExternalClient.python("aiortc_client.py", name, node.signalUrl(), room, options));
    }
}
