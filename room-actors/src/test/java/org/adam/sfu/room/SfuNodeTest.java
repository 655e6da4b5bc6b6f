package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.adam.sfu.room.neighbourhood.SfuAnnounce;
import org.adam.sfu.room.policy.SfuPresence;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The node actor with probes for its rooms and peers, a hand-moved clock and no cluster. */
class SfuNodeTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final ParticipantSettings PARTICIPANTS = new ParticipantSettings(Duration.ofSeconds(10),
            Duration.ofHours(1), Duration.ofHours(1));

    private final ManualClock clock = new ManualClock();
    private final TestProbe<Room.Command> roomProbe = KIT.createTestProbe();
    private final TestProbe<String> left = KIT.createTestProbe();
    private final SfuPresence presence = new SfuPresence();
    private ActorRef<SfuNode.Command> node;

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    @AfterEach
    void stopNode() {
        if (node != null) {
            KIT.stop(node);
        }
    }

    private ActorRef<SfuNode.Command> startNode(String nodeId, int capacity) {
        SfuNode.Settings settings = new SfuNode.Settings(nodeId, "did:key:" + nodeId, "gateway", capacity,
                "wss://" + nodeId + "/signal", PARTICIPANTS, presence);
        NodeEnvironment environment = new NodeEnvironment(clock, () -> 1_000_000, () -> 0.25,
                system -> left.getRef().tell("left"));
        node = KIT.spawn(SfuNode.create(settings, key -> roomProbe.getRef(), null, new SfuNode.Gauges(), environment));
        return node;
    }

    private SfuNode.JoinOutcome join(ActorRef<SfuNode.Command> node, String room) {
        TestProbe<SfuNode.JoinOutcome> reply = KIT.createTestProbe();
        node.tell(new SfuNode.Join(new SfuNode.JoinRequest("req-1", "neighbourhood://n", room, "did:key:z6MkA",
                "alice", true), ClientLink.DETACHED, reply.getRef()));
        return reply.receiveMessage();
    }

    private SfuNode.Load load(ActorRef<SfuNode.Command> node) {
        TestProbe<SfuNode.Load> reply = KIT.createTestProbe();
        node.tell(new SfuNode.GetLoad(reply.getRef()));
        return reply.receiveMessage();
    }

    /** A peer node: a probe listed by the receptionist as an SfuNode, announcing {@code announce}. */
    private TestProbe<SfuNode.Command> peer(ActorRef<SfuNode.Command> node, SfuAnnounce announce) {
        TestProbe<SfuNode.Command> peer = KIT.createTestProbe();
        KIT.system().receptionist().tell(Receptionist.register(SfuNode.SERVICE_KEY, peer.getRef()));
        node.tell(new SfuNode.Announced(announce, peer.getRef()));
        return peer;
    }

    private static SfuAnnounce announce(String node, int participants, int capacity) {
        return new SfuAnnounce("did:key:" + node, "", participants, capacity, node, "wss://" + node + "/signal",
                0, 0, 1, false);
    }

    @Test
    void admitsAParticipantIntoItsRoomAndFindsItForAResume() {
        ActorRef<SfuNode.Command> node = startNode("a1", 10);

        SfuNode.Admitted admitted = (SfuNode.Admitted) join(node, "lobby");

        Room.Join roomJoin = roomProbe.expectMessageClass(Room.Join.class);
        assertThat(roomJoin.participant().participantId()).isEqualTo(admitted.participantId());
        assertThat(roomJoin.participant().node()).isEqualTo("a1");
        assertThat(load(node)).isEqualTo(new SfuNode.Load("a1", 1,
                List.of(new RoomKey("neighbourhood://n", "lobby").toString()), false));
        TestProbe<Optional<SfuNode.Found>> found = KIT.createTestProbe();
        node.tell(new SfuNode.FindParticipant(admitted.participantId(), found.getRef()));
        SfuNode.Found here = found.receiveMessage().orElseThrow();
        assertThat(here.participant()).isEqualTo(admitted.participant());
        assertThat(here.did()).isEqualTo("did:key:z6MkA");

        roomJoin.replyTo().tell(new Room.Refused(JoinRefusal.ROOM_FULL, "full")); // the participant stops
        found.awaitAssert(() -> {
            node.tell(new SfuNode.FindParticipant(admitted.participantId(), found.getRef()));
            assertThat(found.receiveMessage()).isEmpty();
            return null;
        });
        assertThat(load(node).participants()).isZero();
    }

    @Test
    void aFullNodeRedirectsToAPeerWithRoomOrRefuses() {
        ActorRef<SfuNode.Command> node = startNode("a2", 1);
        assertThat(join(node, "lobby")).isInstanceOf(SfuNode.Admitted.class);

        assertThat(join(node, "lobby")).isInstanceOf(SfuNode.Full.class);
        peer(node, announce("b2", 3, 10));
        assertThat(join(node, "lobby")).isEqualTo(new SfuNode.Redirected("wss://b2/signal"));
        assertThat(presence.live()).contains("did:key:a2", "did:key:b2");
    }

    @Test
    void announcesItselfToPeersWithTheUptimeOfItsClock() {
        ActorRef<SfuNode.Command> node = startNode("a3", 10);
        load(node); // answered: the node has set itself up and read its start time
        clock.advance(Duration.ofSeconds(8));
        TestProbe<SfuNode.Command> peer = peer(node, announce("b3", 0, 10));

        SfuNode.Announced heard = peer.expectMessageClass(SfuNode.Announced.class);
        assertThat(heard.from()).isEqualTo(node);
        assertThat(heard.announce().node()).isEqualTo("a3");
        assertThat(heard.announce().uptimeS()).isEqualTo(8);
        assertThat(heard.announce().bandwidthKbps()).isEqualTo(1_000_000L * 8 / 1000 / 8);
        assertThat(heard.announce().cpuLoad()).isEqualTo(0.25);

        TestProbe<SfuNode.Nodes> nodes = KIT.createTestProbe();
        node.tell(new SfuNode.GetNodes(nodes.getRef()));
        assertThat(nodes.receiveMessage().nodes()).extracting(SfuAnnounce::node).containsExactly("a3", "b3");
    }

    @Test
    void drainingSendsParticipantsToAPeerAndLeavesTheClusterOnceTheyAreGone() {
        ActorRef<SfuNode.Command> node = startNode("a4", 10);
        join(node, "lobby");
        Room.Join roomJoin = roomProbe.expectMessageClass(Room.Join.class);
        peer(node, announce("b4", 0, 10));

        TestProbe<SfuNode.Load> drained = KIT.createTestProbe();
        node.tell(new SfuNode.DrainNode("a4", drained.getRef()));
        assertThat(drained.receiveMessage().draining()).isTrue();
        assertThat(join(node, "lobby")).isEqualTo(new SfuNode.Redirected("wss://b4/signal"));
        left.expectNoMessage(Duration.ofMillis(100));

        roomJoin.replyTo().tell(new Room.Refused(JoinRefusal.ROOM_FULL, "full")); // the participant stops
        left.expectMessage("left");
    }

    @Test
    void aDrainOfAnotherNodeIsForwardedToIt() {
        ActorRef<SfuNode.Command> node = startNode("a5", 10);
        TestProbe<SfuNode.Command> peer = peer(node, announce("b5", 0, 10));
        TestProbe<SfuNode.Load> reply = KIT.createTestProbe();

        node.tell(new SfuNode.DrainNode("b5", reply.getRef()));

        assertThat(peer.fishForMessage(Duration.ofSeconds(3), m -> m instanceof SfuNode.Drain
                ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()))
                .last().isEqualTo(new SfuNode.Drain(reply.getRef()));
        assertThat(load(node).draining()).isFalse();
    }
}
