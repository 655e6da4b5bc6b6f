package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.adam.sfu.room.policy.SfuConfig;
import org.apache.pekko.actor.testkit.typed.Effect;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;

/** The room's actor driven message by message: its timers are effects, so no time passes. */
class RoomActorTest {

    private static final String SFU_DID = "did:key:z6MkSfu";
    private static final Duration IDLE = Duration.ofMinutes(5);
    private static final SfuConfig DESIGNATED = new SfuConfig("designated", SFU_DID, List.of(), 0, "mesh", 2,
            List.of(), 0, 0, List.of());

    private final AtomicInteger passivations = new AtomicInteger();
    private final AtomicReference<Set<String>> liveSfus = new AtomicReference<>(Set.of(SFU_DID));
    private final AtomicReference<Boolean> nodeUp = new AtomicReference<>(true);
    private final BehaviorTestKit<Room.Command> room = BehaviorTestKit.create(Room.create(
            new RoomKey("neighbourhood://test", "r1"), "node-a", address -> nodeUp.get(),
            new RoomSettings(10, IDLE, Duration.ofSeconds(1), neighbourhood -> DESIGNATED, liveSfus::get),
            context -> passivations.incrementAndGet()));

    private ParticipantInfo join(String name, TestInbox<Room.Event> events) {
        ParticipantInfo info = RoomFixtures.participant(name);
        TestInbox<Room.JoinReply> reply = TestInbox.create();
        room.run(new Room.Join(info, true, events.getRef(), reply.getRef()));
        assertThat(reply.receiveMessage()).isInstanceOf(Room.Accepted.class);
        return info;
    }

    @Test
    void anEmptyRoomPassivatesWhenItsIdleTimerFiresAndOnlyThen() {
        Effect.TimerScheduled<?> idle = room.expectEffectClass(Effect.TimerScheduled.class);
        assertThat(idle.key()).isEqualTo(Room.IdleTimeout.INSTANCE);
        assertThat(idle.delay()).isEqualTo(scala.concurrent.duration.Duration.fromNanos(IDLE.toNanos()));

        ParticipantInfo alice = join("alice", TestInbox.create());
        assertThat(room.getAllEffects()).contains(new Effect.TimerCancelled(Room.IdleTimeout.INSTANCE));
        room.run(Room.IdleTimeout.INSTANCE); // fired just before the join was handled
        assertThat(passivations).as("someone is in the room").hasValue(0);

        room.run(new Room.Leave(alice.participantId(), LeaveReason.LEAVE));
        assertThat(room.getAllEffects()).anyMatch(e -> e instanceof Effect.TimerScheduled<?> t
                && t.key().equals(Room.IdleTimeout.INSTANCE));
        room.run(Room.IdleTimeout.INSTANCE);
        assertThat(passivations).hasValue(1);
    }

    @Test
    void aCallWhoseSfuIsLostMovesToMeshAndWarnsWhenTooLargeForIt() {
        TestInbox<Room.Event> alice = TestInbox.create();
        TestInbox<Room.Event> bob = TestInbox.create();
        join("alice", alice);
        join("bob", bob);
        room.run(new Room.Reconsider());
        assertThat(bob.getAllReceived()).noneMatch(e -> e instanceof Room.TopologyChanged);

        liveSfus.set(Set.of());
        room.run(new Room.Reconsider());
        assertThat(bob.getAllReceived()).containsExactly(new Room.TopologyChanged("mesh", "sfu-unreachable"));

        TestInbox<Room.Event> carol = TestInbox.create();
        join("carol", carol);
        Room.Warning warning = new Room.Warning("mesh-too-large", "no SFU is reachable and this call has 3 "
                + "participants, more than mesh is meant for (2); trying mesh anyway");
        assertThat(carol.getAllReceived()).contains(warning);
        assertThat(alice.getAllReceived()).contains(warning);
    }

    @Test
    void aMemberWhoseNodeIsGoneLeavesAsNodeFailed() {
        TestInbox<Room.Event> alice = TestInbox.create();
        ParticipantInfo bob = join("bob", TestInbox.create());
        join("alice", alice);
        nodeUp.set(false);

        room.run(new Room.MemberTerminated(bob.participantId()));

        assertThat(alice.getAllReceived())
                .contains(new Room.ParticipantLeft(bob.participantId(), LeaveReason.NODE_FAILED));
    }
}
