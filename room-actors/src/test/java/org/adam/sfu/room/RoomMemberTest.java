package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class RoomMemberTest {

    private final ParticipantId alice = ParticipantId.random();

    @Test
    void aPlanIsToBeToldOnlyWhenItsSetOfTracksDiffersFromTheLastOneTold() {
        RoomMember bob = new RoomMember(RoomFixtures.participant("bob"), null, true);
        TrackInfo video = RoomFixtures.video(alice);
        TrackInfo screen = RoomFixtures.video(alice);

        assertThat(bob.replaceSubscriptions(List.of())).as("nothing, as before the first plan").isFalse();
        assertThat(bob.replaceSubscriptions(List.of(video, screen))).isTrue();
        assertThat(bob.lastSent()).containsExactlyInAnyOrder(video.trackId(), screen.trackId());
        assertThat(bob.replaceSubscriptions(List.of(screen, video))).as("the same set in another order").isFalse();
        assertThat(bob.replaceSubscriptions(List.of(screen))).isTrue();
        assertThat(bob.lastSent()).containsExactly(screen.trackId());
    }
}
