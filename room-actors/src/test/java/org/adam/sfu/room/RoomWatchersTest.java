package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;

class RoomWatchersTest {

    @Test
    void watchersHearTheRosterAndCatalogueButNothingAddressedToMembers() {
        RoomWatchers watchers = new RoomWatchers();
        TestInbox<Room.Event> watcher = TestInbox.create();
        assertThat(watchers.add(watcher.getRef())).isTrue();
        assertThat(watchers.add(watcher.getRef())).as("already watching").isFalse();
        ParticipantInfo alice = RoomFixtures.participant("alice");
        TrackInfo video = RoomFixtures.video(alice.participantId());

        List<Room.Event> followed = List.of(new Room.ParticipantJoined(alice),
                new Room.TrackPublished(video), new Room.TrackMuted(video.trackId(), true),
                new Room.TrackUnpublished(video.trackId()),
                new Room.ParticipantLeft(alice.participantId(), LeaveReason.LEAVE), new Room.Closed("operator"));
        List<Room.Event> membersOnly = List.of(new Room.SubscriptionsChanged(List.of(video)),
                new Room.Warning("mesh-too-large", "x"), new Room.TopologyChanged("mesh", "policy"),
                new Room.MeshSignalled(alice.participantId(), "{}"),
                new Room.LayersWanted(video.trackId(), List.of(true)), new Room.Roster(List.of(alice), List.of()));
        membersOnly.forEach(watchers::tell);
        followed.forEach(watchers::tell);

        assertThat(watcher.getAllReceived()).containsExactlyElementsOf(followed);
    }

    @Test
    void aRemovedWatcherHearsNothingMore() {
        RoomWatchers watchers = new RoomWatchers();
        TestInbox<Room.Event> watcher = TestInbox.create();
        watchers.add(watcher.getRef());
        watchers.remove(watcher.getRef());

        watchers.tell(new Room.Closed("operator"));

        assertThat(watcher.hasMessages()).isFalse();
        assertThat(watchers.size()).isZero();
    }
}
