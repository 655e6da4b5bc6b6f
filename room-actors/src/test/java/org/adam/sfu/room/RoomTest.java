package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RoomTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final CodecSpec VP8 = new CodecSpec(96, "VP8", 90000, 0, "", List.of("nack", "nack pli"));
    private static final CodecSpec OPUS = new CodecSpec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of());

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private record Member(ParticipantId id, TestProbe<Room.Event> events) {
    }

    private ActorRef<Room.Command> newRoom(int maxParticipants) {
        return KIT.spawn(Room.create(new RoomKey("neighbourhood://test", "r" + System.nanoTime()), "node-a",
                address -> true, new RoomSettings(maxParticipants, Duration.ofMinutes(1), Duration.ofMillis(300)),
                context -> context.getSelf().tell(Room.Stop.INSTANCE)));
    }

    private Member join(ActorRef<Room.Command> room, String name, boolean autoSubscribe) {
        ParticipantId id = ParticipantId.random();
        TestProbe<Room.Event> events = KIT.createTestProbe();
        TestProbe<Room.JoinReply> reply = KIT.createTestProbe();
        room.tell(new Room.Join(new ParticipantInfo(id, "did:key:z6Mk" + name, name, "node-a"), autoSubscribe,
                events.getRef(), reply.getRef()));
        assertThat(reply.receiveMessage()).isInstanceOf(Room.Accepted.class);
        return new Member(id, events);
    }

    private static TrackInfo track(ParticipantId owner, String kind) {
        return new TrackInfo(TrackId.random(), owner, kind, kind.equals("video") ? "camera" : "microphone",
                List.of(), false, kind.equals("video") ? "1" : "0", "node-a", kind.equals("video") ? VP8 : OPUS, 0);
    }

    @Test
    void tellsOthersWhoJoinedAndSubscribesThemToPublishedTracks() {
        ActorRef<Room.Command> room = newRoom(10);
        Member alice = join(room, "alice", true);
        Member bob = join(room, "bob", true);
        Room.ParticipantJoined joined = alice.events().expectMessageClass(Room.ParticipantJoined.class);
        assertThat(joined.participant().participantId()).isEqualTo(bob.id());

        TrackInfo video = track(alice.id(), "video");
        room.tell(new Room.Publish(alice.id(), List.of(video)));

        assertThat(alice.events().expectMessageClass(Room.TrackPublished.class).track()).isEqualTo(video);
        assertThat(bob.events().expectMessageClass(Room.TrackPublished.class).track()).isEqualTo(video);
        assertThat(bob.events().expectMessageClass(Room.SubscriptionsChanged.class).tracks()).containsExactly(video);
        alice.events().expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void lateJoinerIsToldExistingTracksAndReceivesThem() {
        ActorRef<Room.Command> room = newRoom(10);
        Member alice = join(room, "alice", true);
        TrackInfo audio = track(alice.id(), "audio");
        room.tell(new Room.Publish(alice.id(), List.of(audio)));
        alice.events().expectMessageClass(Room.TrackPublished.class);

        ParticipantId carol = ParticipantId.random();
        TestProbe<Room.Event> events = KIT.createTestProbe();
        TestProbe<Room.JoinReply> reply = KIT.createTestProbe();
        room.tell(new Room.Join(new ParticipantInfo(carol, "did:key:z6Mkc", "carol", "node-a"), true,
                events.getRef(), reply.getRef()));
        Room.Accepted accepted = (Room.Accepted) reply.receiveMessage();
        assertThat(accepted.tracks()).containsExactly(audio);
        assertThat(accepted.others()).extracting(ParticipantInfo::participantId).containsExactly(alice.id());
        assertThat(events.expectMessageClass(Room.SubscriptionsChanged.class).tracks()).containsExactly(audio);
    }

    @Test
    void leavingUnpublishesTracksThenAnnouncesTheLeave() {
        ActorRef<Room.Command> room = newRoom(10);
        Member alice = join(room, "alice", true);
        Member bob = join(room, "bob", true);
        alice.events().expectMessageClass(Room.ParticipantJoined.class);
        TrackInfo video = track(bob.id(), "video");
        room.tell(new Room.Publish(bob.id(), List.of(video)));
        alice.events().expectMessageClass(Room.TrackPublished.class);
        alice.events().expectMessageClass(Room.SubscriptionsChanged.class);

        room.tell(new Room.Leave(bob.id(), LeaveReason.LEAVE));

        assertThat(alice.events().expectMessageClass(Room.TrackUnpublished.class).trackId()).isEqualTo(video.trackId());
        Room.ParticipantLeft left = alice.events().expectMessageClass(Room.ParticipantLeft.class);
        assertThat(left.reason()).isEqualTo(LeaveReason.LEAVE);
        assertThat(alice.events().expectMessageClass(Room.SubscriptionsChanged.class).tracks()).isEmpty();
    }

    @Test
    void refusesJoinBeyondCapacity() {
        ActorRef<Room.Command> room = newRoom(1);
        join(room, "alice", true);
        TestProbe<Room.JoinReply> reply = KIT.createTestProbe();
        room.tell(new Room.Join(new ParticipantInfo(ParticipantId.random(), "did:key:z6Mkb", "bob", "node-a"), true,
                KIT.<Room.Event>createTestProbe().getRef(), reply.getRef()));
        Room.Refused refused = (Room.Refused) reply.receiveMessage();
        assertThat(refused.refusal()).isEqualTo(JoinRefusal.ROOM_FULL);
    }

    @Test
    void explicitSubscriptionsWithoutAutoSubscribe() {
        ActorRef<Room.Command> room = newRoom(10);
        Member alice = join(room, "alice", true);
        Member bob = join(room, "bob", false);
        alice.events().expectMessageClass(Room.ParticipantJoined.class);
        TrackInfo video = track(alice.id(), "video");
        TrackInfo audio = track(alice.id(), "audio");
        room.tell(new Room.Publish(alice.id(), List.of(video, audio)));
        bob.events().expectMessageClass(Room.TrackPublished.class);
        bob.events().expectMessageClass(Room.TrackPublished.class);
        bob.events().expectNoMessage(Duration.ofMillis(100));

        room.tell(new Room.Subscribe(bob.id(), List.of(audio.trackId())));
        assertThat(bob.events().expectMessageClass(Room.SubscriptionsChanged.class).tracks()).containsExactly(audio);

        room.tell(new Room.Unsubscribe(bob.id(), List.of(audio.trackId())));
        assertThat(bob.events().expectMessageClass(Room.SubscriptionsChanged.class).tracks()).isEmpty();
    }

    @Test
    void memberWhoseActorStopsIsRemovedAsDisconnected() {
        ActorRef<Room.Command> room = newRoom(10);
        Member alice = join(room, "alice", true);
        Member bob = join(room, "bob", true);
        alice.events().expectMessageClass(Room.ParticipantJoined.class);

        bob.events().stop();

        Room.ParticipantLeft left = alice.events().expectMessageClass(Room.ParticipantLeft.class);
        assertThat(left.participantId()).isEqualTo(bob.id());
        assertThat(left.reason()).isEqualTo(LeaveReason.DISCONNECTED);
    }

    @Test
    void aRecreatedRoomRebuildsFromPresenceReportsAndTellsWhoIsLeft() {
        ActorRef<Room.Command> fresh = newRoom(10);
        ParticipantId alice = ParticipantId.random();
        ParticipantId bob = ParticipantId.random();
        TestProbe<Room.Event> aliceEvents = KIT.createTestProbe();
        TestProbe<Room.Event> bobEvents = KIT.createTestProbe();
        TrackInfo aliceVideo = track(alice, "video");
        fresh.tell(new Room.Present(new ParticipantInfo(alice, "did:key:z6Mka", "alice", "node-b"), true, List.of(),
                List.of(aliceVideo), aliceEvents.getRef()));
        fresh.tell(new Room.Present(new ParticipantInfo(bob, "did:key:z6Mkb", "bob", "node-c"), true, List.of(),
                List.of(), bobEvents.getRef()));

        Room.Roster roster = bobEvents.expectMessageClass(Room.Roster.class, Duration.ofSeconds(3));
        assertThat(roster.participants()).extracting(ParticipantInfo::participantId).containsExactlyInAnyOrder(alice, bob);
        assertThat(roster.tracks()).containsExactly(aliceVideo);
        assertThat(bobEvents.expectMessageClass(Room.SubscriptionsChanged.class).tracks()).containsExactly(aliceVideo);
        aliceEvents.expectMessageClass(Room.Roster.class);

        TestProbe<Room.State> state = KIT.createTestProbe();
        fresh.tell(new Room.GetState(state.getRef()));
        assertThat(state.receiveMessage().hostNode()).isEqualTo("node-a");
    }

    @Test
    void mutingIsBroadcastOnlyByTheOwner() {
        ActorRef<Room.Command> room = newRoom(10);
        Member alice = join(room, "alice", true);
        Member bob = join(room, "bob", true);
        alice.events().expectMessageClass(Room.ParticipantJoined.class);
        TrackInfo audio = track(alice.id(), "audio");
        room.tell(new Room.Publish(alice.id(), List.of(audio)));
        bob.events().expectMessageClass(Room.TrackPublished.class);
        bob.events().expectMessageClass(Room.SubscriptionsChanged.class);

        room.tell(new Room.SetMuted(bob.id(), audio.trackId(), true));
        bob.events().expectNoMessage(Duration.ofMillis(100));
        room.tell(new Room.SetMuted(alice.id(), audio.trackId(), true));
        Room.TrackMuted muted = bob.events().expectMessageClass(Room.TrackMuted.class);
        assertThat(muted.muted()).isTrue();
    }

    private static TrackInfo simulcast(TrackId id, ParticipantId owner) {
        return new TrackInfo(id, owner, "video", "camera", List.of("q", "h", "f"), false, "1", "node-a", VP8, 0);
    }

    @Test
    void aSubscriptionToATrackThatDoesNotExistIsDropped() {
        ActorRef<Room.Command> room = newRoom(10);
        Member alice = join(room, "alice", true);
        Member bob = join(room, "bob", false);
        alice.events().expectMessageClass(Room.ParticipantJoined.class);
        TrackInfo later = track(alice.id(), "video");

        room.tell(new Room.Subscribe(bob.id(), List.of(later.trackId(), new TrackId("t-bogus"))));
        room.tell(new Room.Publish(alice.id(), List.of(later)));

        bob.events().expectMessageClass(Room.TrackPublished.class);
        bob.events().expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void anExplicitSubscriptionGoesWithItsTrack() {
        ActorRef<Room.Command> room = newRoom(10);
        Member alice = join(room, "alice", true);
        Member bob = join(room, "bob", false);
        alice.events().expectMessageClass(Room.ParticipantJoined.class);
        TrackInfo video = track(alice.id(), "video");
        room.tell(new Room.Publish(alice.id(), List.of(video)));
        bob.events().expectMessageClass(Room.TrackPublished.class);
        room.tell(new Room.Subscribe(bob.id(), List.of(video.trackId())));
        assertThat(bob.events().expectMessageClass(Room.SubscriptionsChanged.class).tracks()).containsExactly(video);

        room.tell(new Room.Unpublish(alice.id(), List.of(video.trackId())));
        bob.events().expectMessageClass(Room.TrackUnpublished.class);
        assertThat(bob.events().expectMessageClass(Room.SubscriptionsChanged.class).tracks()).isEmpty();

        // The same id published again is another track: bob's old wish is gone with the first.
        room.tell(new Room.Publish(alice.id(), List.of(video)));
        bob.events().expectMessageClass(Room.TrackPublished.class);
        bob.events().expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void layerDemandGoesWithItsTrack() {
        ActorRef<Room.Command> room = newRoom(10);
        Member alice = join(room, "alice", true);
        Member bob = join(room, "bob", true);
        alice.events().expectMessageClass(Room.ParticipantJoined.class);
        TrackInfo video = simulcast(TrackId.random(), alice.id());
        room.tell(new Room.Publish(alice.id(), List.of(video)));
        alice.events().expectMessageClass(Room.TrackPublished.class);
        room.tell(new Room.LayerDemand(bob.id(), video.trackId(), 0b100));
        assertThat(alice.events().expectMessageClass(Room.LayersWanted.class).active()).containsExactly(false, false, true);

        room.tell(new Room.Unpublish(alice.id(), List.of(video.trackId())));
        alice.events().expectMessageClass(Room.TrackUnpublished.class);
        room.tell(new Room.Publish(alice.id(), List.of(video)));
        alice.events().expectMessageClass(Room.TrackPublished.class);
        room.tell(new Room.LayerDemand(bob.id(), video.trackId(), 0b100));
        assertThat(alice.events().expectMessageClass(Room.LayersWanted.class).active())
                .as("the publisher of the track published again is told what is received")
                .containsExactly(false, false, true);
    }

    @Test
    void stateShowsWhatEachMemberReceivesAndALeaveCleansUp() {
        ActorRef<Room.Command> room = newRoom(10);
        Member alice = join(room, "alice", true);
        Member bob = join(room, "bob", true);
        TrackInfo video = track(alice.id(), "video");
        room.tell(new Room.Publish(alice.id(), List.of(video)));
        bob.events().expectMessageClass(Room.TrackPublished.class);
        assertThat(bob.events().expectMessageClass(Room.SubscriptionsChanged.class).tracks()).containsExactly(video);

        TestProbe<Room.State> state = KIT.createTestProbe();
        room.tell(new Room.GetState(state.getRef()));
        Room.State during = state.receiveMessage();
        assertThat(during.participants()).extracting(ParticipantInfo::participantId).containsExactly(alice.id(), bob.id());
        assertThat(during.tracks()).containsExactly(video);
        assertThat(during.subscriptions()).containsEntry(bob.id().value(), List.of(video.trackId().value()))
                .containsEntry(alice.id().value(), List.of());

        room.tell(new Room.Leave(alice.id(), LeaveReason.LEAVE));
        bob.events().expectMessageClass(Room.TrackUnpublished.class);
        bob.events().expectMessageClass(Room.ParticipantLeft.class);
        assertThat(bob.events().expectMessageClass(Room.SubscriptionsChanged.class).tracks()).isEmpty();
        room.tell(new Room.GetState(state.getRef()));
        Room.State after = state.receiveMessage();
        assertThat(after.participants()).extracting(ParticipantInfo::participantId).containsExactly(bob.id());
        assertThat(after.tracks()).isEmpty();
        assertThat(after.subscriptions()).containsOnlyKeys(bob.id().value()).containsEntry(bob.id().value(), List.of());
    }

    @Test
    void watchersFollowTheRosterAndCatalogueUntilTheyUnwatch() {
        ActorRef<Room.Command> room = newRoom(10);
        TestProbe<Room.Event> watcher = KIT.createTestProbe();
        room.tell(new Room.Watch(watcher.getRef()));
        Member alice = join(room, "alice", true);
        assertThat(watcher.expectMessageClass(Room.ParticipantJoined.class).participant().participantId())
                .isEqualTo(alice.id());
        Member bob = join(room, "bob", true);
        watcher.expectMessageClass(Room.ParticipantJoined.class);
        TrackInfo video = track(alice.id(), "video");
        room.tell(new Room.Publish(alice.id(), List.of(video)));
        assertThat(watcher.expectMessageClass(Room.TrackPublished.class).track()).isEqualTo(video);
        bob.events().expectMessageClass(Room.TrackPublished.class);
        bob.events().expectMessageClass(Room.SubscriptionsChanged.class);

        room.tell(new Room.MeshSignal(alice.id(), bob.id(), "{\"candidate\":\"x\"}"));
        assertThat(bob.events().expectMessageClass(Room.MeshSignalled.class))
                .isEqualTo(new Room.MeshSignalled(alice.id(), "{\"candidate\":\"x\"}"));
        watcher.expectNoMessage(Duration.ofMillis(100));

        room.tell(new Room.Unwatch(watcher.getRef()));
        room.tell(new Room.Close("operator"));
        assertThat(bob.events().expectMessageClass(Room.Closed.class).reason()).isEqualTo("operator");
        watcher.expectNoMessage(Duration.ofMillis(100));
    }
}
