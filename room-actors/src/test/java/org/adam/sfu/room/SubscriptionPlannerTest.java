package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SubscriptionPlannerTest {

    private final ParticipantId alice = ParticipantId.random();
    private final ParticipantId bob = ParticipantId.random();
    private final TrackInfo aliceVideo = RoomFixtures.video(alice);
    private final TrackInfo bobVideo = RoomFixtures.video(bob);
    private final TrackInfo aliceScreen = RoomFixtures.video(alice);
    private final List<TrackInfo> catalogue = List.of(aliceVideo, bobVideo, aliceScreen);

    @Test
    void anAutoSubscriberReceivesEveryTrackOfTheOthersInCatalogueOrder() {
        assertThat(SubscriptionPlanner.plan(bob, true, Set.of(), catalogue)).containsExactly(aliceVideo, aliceScreen);
    }

    @Test
    void nobodyReceivesTheirOwnTracksEvenWhenAskingForThem() {
        assertThat(SubscriptionPlanner.plan(alice, false, Set.of(aliceVideo.trackId(), bobVideo.trackId()), catalogue))
                .containsExactly(bobVideo);
    }

    @Test
    void withoutAutoSubscribeOnlyTheTracksAskedForAreReceived() {
        assertThat(SubscriptionPlanner.plan(bob, false, Set.of(), catalogue)).isEmpty();
        assertThat(SubscriptionPlanner.plan(bob, false, Set.of(aliceScreen.trackId()), catalogue))
                .containsExactly(aliceScreen);
    }

    @Test
    void aMemberIsPlannedFromItsOwnWishes() {
        RoomMember carol = new RoomMember(RoomFixtures.participant("carol"), null, false);
        carol.explicit.add(bobVideo.trackId());
        assertThat(SubscriptionPlanner.plan(carol, catalogue)).containsExactly(bobVideo);
    }
}
