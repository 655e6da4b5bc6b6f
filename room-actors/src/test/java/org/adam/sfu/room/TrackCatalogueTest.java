package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrackCatalogueTest {

    private final ParticipantId alice = ParticipantId.random();
    private final ParticipantId bob = ParticipantId.random();

    @Test
    void onlyTheOwnerMutesAndOnlyAChangeCounts() {
        TrackCatalogue tracks = new TrackCatalogue();
        TrackInfo video = RoomFixtures.video(alice);
        tracks.put(video);

        assertThat(tracks.setMuted(bob, video.trackId(), true)).as("not bob's track").isFalse();
        assertThat(tracks.get(video.trackId()).muted()).isFalse();
        assertThat(tracks.setMuted(alice, video.trackId(), false)).as("already unmuted").isFalse();
        assertThat(tracks.setMuted(alice, video.trackId(), true)).isTrue();
        assertThat(tracks.get(video.trackId()).muted()).isTrue();
        assertThat(tracks.setMuted(alice, TrackId.random(), true)).as("no such track").isFalse();
    }

    @Test
    void ownershipAndWhatEachPublishedFollowPublishingOrder() {
        TrackCatalogue tracks = new TrackCatalogue();
        TrackInfo first = RoomFixtures.video(alice);
        TrackInfo bobs = RoomFixtures.video(bob);
        TrackInfo second = RoomFixtures.video(alice);
        tracks.put(first);
        tracks.put(bobs);
        tracks.put(second);

        assertThat(tracks.publishedBy(alice)).containsExactly(first.trackId(), second.trackId());
        assertThat(tracks.isOwnedBy(bobs.trackId(), bob)).isTrue();
        assertThat(tracks.isOwnedBy(bobs.trackId(), alice)).isFalse();
        assertThat(tracks.all()).containsExactly(first, bobs, second);

        tracks.remove(first.trackId());
        assertThat(tracks.contains(first.trackId())).isFalse();
        assertThat(tracks.isOwnedBy(first.trackId(), alice)).isFalse();
        assertThat(tracks.ids()).containsExactlyInAnyOrder(bobs.trackId(), second.trackId());
        assertThat(tracks.size()).isEqualTo(2);
    }
}
