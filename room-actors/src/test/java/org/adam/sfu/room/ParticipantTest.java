package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.adam.sfu.room.media.MediaServices;
import org.adam.sfu.webrtc.transport.MediaServerConfig;
import org.adam.sfu.webrtc.transport.MediaWorkers;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A participant actor between a stand-in room and a stand-in client, on simulated time: the
 * actors' scheduler is {@link ManualTime}, the grace's clock a {@link ManualClock}, moved together.
 */
class ParticipantTest {

    private static final Duration GRACE = Duration.ofSeconds(10);
    /** Beyond what the tests move time by, but the one that waits for a heartbeat. */
    private static final Duration PRESENCE = Duration.ofMinutes(30);
    /** Beyond what any test moves time by: no negotiation deadline gets in the way. */
    private static final Duration NEGOTIATION = Duration.ofHours(1);
    private static final ActorTestKit KIT = ActorTestKit.create(ManualTime.config());
    private static final ManualTime TIME = ManualTime.get(KIT.system());
    private static MediaWorkers workers;

    private final ManualClock clock = new ManualClock();
    private final TestProbe<Room.Command> room = KIT.createTestProbe();
    private final ParticipantInfo info = new ParticipantInfo(ParticipantId.random(), "did:key:z6Mka", "alice",
            "node-a");
    private final RoomKey roomKey = new RoomKey("neighbourhood://test", "r" + System.nanoTime());

    @BeforeAll
    static void startWorkers() throws Exception {
        workers = MediaWorkers.start(MediaServerConfig.loopback(0), 1);
    }

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
        workers.close();
    }

    /** A client socket: what it is sent, and the participants it is told ended, go to probes. */
    private record Client(TestProbe<ClientEvent> events, TestProbe<ParticipantId> ended, ClientLink link) {
        static Client connect() {
            TestProbe<ClientEvent> events = KIT.createTestProbe();
            TestProbe<ParticipantId> ended = KIT.createTestProbe();
            return new Client(events, ended, new ClientLink() {
                @Override
                public void send(ClientEvent event) {
                    events.getRef().tell(event);
                }

                @Override
                public void close() {
                }

                @Override
                public void participantEnded(ParticipantId participantId) {
                    ended.getRef().tell(participantId);
                }
            });
        }
    }

    private ActorRef<Participant.Command> spawn(Client client) {
        Participant.Setup setup = new Participant.Setup(info, roomKey, room.getRef(), true, "join-1", client.link(),
                "auto", new MediaServices(workers, "node-a", null), new ParticipantSettings(GRACE, PRESENCE, NEGOTIATION),
                ResumeToken.random());
        return KIT.spawn(Participant.create(setup, clock));
    }

    /** Joins the room as an sfu call; returns where the room sends its events. */
    private ActorRef<Room.Event> admit(ParticipantInfo... others) {
        Room.Join join = room.expectMessageClass(Room.Join.class);
        assertThat(join.participant()).isEqualTo(info);
        join.replyTo().tell(new Room.Accepted(List.of(others), List.of(), "sfu", "auto", 0, List.of(), List.of()));
        return join.member();
    }

    /** Returns once {@code participant} has handled everything told it before. */
    private static void settle(ActorRef<Participant.Command> participant) {
        TestProbe<Participant.Status> status = KIT.createTestProbe();
        participant.tell(new Participant.GetStatus(status.getRef()));
        status.receiveMessage();
    }

    private void timePasses(Duration duration) {
        clock.advance(duration);
        TIME.timePasses(duration);
    }

    @Test
    void aSocketResumedWithinTheGraceGetsWhatItMissedAndAfterTheNextDropsGraceItLeaves() {
        Client first = Client.connect();
        ParticipantInfo bob = new ParticipantInfo(ParticipantId.random(), "did:key:z6Mkb", "bob", "node-a");
        ActorRef<Participant.Command> participant = spawn(first);
        ActorRef<Room.Event> roomEvents = admit(bob);
        ClientEvent.Joined joined = first.events().expectMessageClass(ClientEvent.Joined.class);
        assertThat(joined.requestId()).isEqualTo("join-1");
        assertThat(joined.participants()).containsExactly(bob);
        assertThat(joined.topology()).isEqualTo("sfu");

        ParticipantInfo carol = new ParticipantInfo(ParticipantId.random(), "did:key:z6Mkc", "carol", "node-a");
        roomEvents.tell(new Room.ParticipantJoined(carol));
        assertThat(first.events().receiveMessage())
                .isEqualTo(new ClientEvent.Sequenced(1, new ClientEvent.ParticipantJoined(carol)));

        participant.tell(Participant.LinkLost.INSTANCE);
        roomEvents.tell(new Room.ParticipantLeft(bob.participantId(), LeaveReason.LEAVE));
        settle(participant);
        timePasses(GRACE.minusSeconds(1));
        TIME.expectNoMessageFor(Duration.ofMillis(100), room);
        first.events().expectNoMessage(Duration.ofMillis(50));

        Client second = Client.connect();
        participant.tell(new Participant.Resume(second.link(), "resume-1", 1L));
        ClientEvent.Joined resumed = second.events().expectMessageClass(ClientEvent.Joined.class);
        assertThat(resumed.requestId()).isEqualTo("resume-1");
        assertThat(resumed.resumeToken()).isEqualTo(joined.resumeToken());
        assertThat(second.events().receiveMessage()).isEqualTo(new ClientEvent.Sequenced(2,
                new ClientEvent.ParticipantLeft(bob.participantId(), LeaveReason.LEAVE)));
        first.ended().expectNoMessage(Duration.ofMillis(50));

        timePasses(Duration.ofSeconds(5));
        TIME.expectNoMessageFor(Duration.ofMillis(100), room);
        participant.tell(Participant.LinkLost.INSTANCE);
        settle(participant);
        timePasses(GRACE.minusSeconds(1));
        TIME.expectNoMessageFor(Duration.ofMillis(100), room);
        timePasses(Duration.ofSeconds(1));
        assertThat(room.expectMessageClass(Room.Leave.class))
                .isEqualTo(new Room.Leave(info.participantId(), LeaveReason.DISCONNECTED));
        room.expectTerminated(participant);
        second.ended().expectNoMessage(Duration.ofMillis(50)); // its socket was gone already
    }

    @Test
    void theGraceIsMeasuredByTheClockAGraceTimerFiringEarlyWaitsForTheRest() {
        Client client = Client.connect();
        ActorRef<Participant.Command> participant = spawn(client);
        admit();
        client.events().expectMessageClass(ClientEvent.Joined.class);
        participant.tell(Participant.LinkLost.INSTANCE);
        settle(participant);

        clock.advance(GRACE.minusSeconds(2));
        TIME.timePasses(GRACE);
        TIME.expectNoMessageFor(Duration.ofMillis(100), room);
        timePasses(Duration.ofSeconds(2));
        assertThat(room.expectMessageClass(Room.Leave.class).reason()).isEqualTo(LeaveReason.DISCONNECTED);
    }

    @Test
    void aRefusedJoinIsToldToTheClientAndEndsTheParticipant() {
        Client client = Client.connect();
        ActorRef<Participant.Command> participant = spawn(client);
        Room.Join join = room.expectMessageClass(Room.Join.class);
        join.replyTo().tell(new Room.Refused(JoinRefusal.ROOM_FULL, "the room is full"));
        assertThat(client.events().receiveMessage())
                .isEqualTo(new ClientEvent.Error("join-1", "room-full", "the room is full"));
        assertThat(client.ended().receiveMessage()).isEqualTo(info.participantId());
        room.expectTerminated(participant);
        room.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void aCallClosedByTheOperatorTellsTheClientItWasKickedAndLeavesTheRoom() {
        Client client = Client.connect();
        ActorRef<Participant.Command> participant = spawn(client);
        ActorRef<Room.Event> roomEvents = admit();
        client.events().expectMessageClass(ClientEvent.Joined.class);
        roomEvents.tell(new Room.Closed("operator"));
        assertThat(client.events().receiveMessage())
                .isEqualTo(new ClientEvent.ParticipantLeft(info.participantId(), LeaveReason.KICKED));
        assertThat(room.expectMessageClass(Room.Leave.class))
                .isEqualTo(new Room.Leave(info.participantId(), LeaveReason.KICKED));
        room.expectTerminated(participant);
    }

    @Test
    void subscriptionsAreKeptToTracksTheClientKnowsAndReportedWithThePresence() {
        Client client = Client.connect();
        ActorRef<Participant.Command> participant = spawn(client);
        ActorRef<Room.Event> roomEvents = admit();
        client.events().expectMessageClass(ClientEvent.Joined.class);
        TrackInfo track = new TrackInfo(TrackId.random(), ParticipantId.random(), "audio", "microphone", List.of(),
                false, "0", "node-a", new CodecSpec(111, "opus", 48000, 2, "", List.of()), 0);
        roomEvents.tell(new Room.TrackPublished(track));
        client.events().expectMessageClass(ClientEvent.Sequenced.class);

        participant.tell(new Participant.ClientSubscribe(List.of(TrackId.random()), true));
        participant.tell(new Participant.ClientSubscribe(List.of(track.trackId(), track.trackId()), true));
        assertThat(room.expectMessageClass(Room.Subscribe.class))
                .isEqualTo(new Room.Subscribe(info.participantId(), List.of(track.trackId())));
        settle(participant);
        TIME.timePasses(PRESENCE);
        Room.Present present = room.expectMessageClass(Room.Present.class);
        assertThat(present.explicitSubscriptions()).containsExactly(track.trackId());
        participant.tell(new Participant.ClientLeave(LeaveReason.LEAVE));
        room.expectMessageClass(Room.Leave.class);
    }
}
