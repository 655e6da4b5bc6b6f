package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;

class RoomRebuildTest {

    @Test
    void reportsRebuildTheRosterCatalogueAndWishesAndSettlingDropsWishesForLostTracks() {
        RoomRoster roster = new RoomRoster();
        TrackCatalogue tracks = new TrackCatalogue();
        ParticipantInfo alice = RoomFixtures.participant("alice");
        ParticipantInfo bob = RoomFixtures.participant("bob");
        TrackInfo aliceVideo = RoomFixtures.video(alice.participantId());
        TrackId lost = TrackId.random();
        TestInbox<Room.Event> aliceInbox = TestInbox.create();
        TestInbox<Room.Event> bobInbox = TestInbox.create();

        RoomMember admittedAlice = RoomRebuild.admit(new Room.Present(alice, true, List.of(), List.of(aliceVideo),
                aliceInbox.getRef()), roster, tracks);
        RoomMember admittedBob = RoomRebuild.admit(new Room.Present(bob, false,
                List.of(aliceVideo.trackId(), lost), List.of(), bobInbox.getRef()), roster, tracks);

        assertThat(admittedAlice.ref).isEqualTo(aliceInbox.getRef());
        assertThat(admittedAlice.autoSubscribe).isTrue();
        assertThat(admittedBob.explicit).containsExactlyInAnyOrder(aliceVideo.trackId(), lost);
        assertThat(tracks.all()).containsExactly(aliceVideo);

        Room.Roster told = RoomRebuild.settle(roster, tracks);

        assertThat(told.participants()).containsExactly(alice, bob);
        assertThat(told.tracks()).containsExactly(aliceVideo);
        assertThat(admittedBob.explicit).containsExactly(aliceVideo.trackId());
    }
}
