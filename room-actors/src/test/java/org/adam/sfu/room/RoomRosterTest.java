package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;

class RoomRosterTest {

    private final RoomRoster roster = new RoomRoster();
    private final TestInbox<Room.Event> aliceInbox = TestInbox.create();
    private final TestInbox<Room.Event> bobInbox = TestInbox.create();
    private final RoomMember alice = RoomFixtures.member("alice", true, aliceInbox);
    private final RoomMember bob = RoomFixtures.member("bob", false, bobInbox);

    RoomRosterTest() {
        roster.add(alice);
        roster.add(bob);
    }

    @Test
    void keepsMembersInJoinOrder() {
        assertThat(roster.infos()).containsExactly(alice.info, bob.info);
        roster.remove(alice.id());
        roster.add(alice);
        assertThat(roster.infos()).as("one who joins again is last").containsExactly(bob.info, alice.info);
        assertThat(roster.remove(ParticipantId.random())).isNull();
        assertThat(roster.size()).isEqualTo(2);
    }

    @Test
    void tellsEveryoneOrEveryoneButOne() {
        Room.Closed closed = new Room.Closed("operator");
        roster.tellAll(closed);
        Room.ParticipantJoined joined = new Room.ParticipantJoined(bob.info);
        roster.tellAllExcept(bob.id(), joined);

        assertThat(aliceInbox.getAllReceived()).containsExactly(closed, joined);
        assertThat(bobInbox.getAllReceived()).containsExactly(closed);
    }

    @Test
    void relaysMeshSignalsOnlyBetweenMembers() {
        roster.relay(new Room.MeshSignal(alice.id(), bob.id(), "{\"sdp\":1}"));
        roster.relay(new Room.MeshSignal(ParticipantId.random(), bob.id(), "{\"sdp\":2}"));
        roster.relay(new Room.MeshSignal(alice.id(), ParticipantId.random(), "{\"sdp\":3}"));

        assertThat(bobInbox.getAllReceived()).containsExactly(new Room.MeshSignalled(alice.id(), "{\"sdp\":1}"));
        assertThat(aliceInbox.hasMessages()).isFalse();
    }

    @Test
    void replanningTellsOnlyThoseWhoseSubscriptionsChanged() {
        TrackInfo aliceVideo = RoomFixtures.video(alice.id());
        roster.replanSubscriptions(List.of(aliceVideo));
        assertThat(bobInbox.hasMessages()).as("bob did not ask for it").isFalse();
        assertThat(aliceInbox.hasMessages()).as("alice's own track").isFalse();

        TrackInfo bobVideo = RoomFixtures.video(bob.id());
        bob.explicit.add(aliceVideo.trackId());
        roster.replanSubscriptions(List.of(aliceVideo, bobVideo));
        roster.replanSubscriptions(List.of(aliceVideo, bobVideo));

        assertThat(aliceInbox.getAllReceived()).containsExactly(new Room.SubscriptionsChanged(List.of(bobVideo)));
        assertThat(bobInbox.getAllReceived()).containsExactly(new Room.SubscriptionsChanged(List.of(aliceVideo)));
        assertThat(roster.subscriptionsSent()).containsEntry(bob.id().value(), List.of(aliceVideo.trackId().value()))
                .containsEntry(alice.id().value(), List.of(bobVideo.trackId().value()));
    }

    @Test
    void forgetsSubscriptionsToTracksThatAreGone() {
        TrackId gone = TrackId.random();
        TrackId kept = TrackId.random();
        TrackId unreported = TrackId.random();
        bob.explicit.addAll(List.of(gone, kept, unreported));

        roster.forgetSubscriptionsTo(gone);
        assertThat(bob.explicit).containsExactlyInAnyOrder(kept, unreported);
        roster.keepSubscriptionsOnlyTo(java.util.Set.of(kept));
        assertThat(bob.explicit).containsExactly(kept);
    }

    @Test
    void tellsAPublisherOnlyWhileItIsInTheRoom() {
        TrackInfo video = RoomFixtures.video(alice.id());
        Room.LayersWanted wanted = new Room.LayersWanted(video.trackId(), List.of(true));
        roster.tellPublisher(video, wanted);
        roster.remove(alice.id());
        roster.tellPublisher(video, wanted);

        assertThat(aliceInbox.getAllReceived()).containsExactly(wanted);
        assertThat(bobInbox.hasMessages()).isFalse();
    }
}
