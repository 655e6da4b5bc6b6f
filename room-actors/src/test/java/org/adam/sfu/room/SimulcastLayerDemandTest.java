package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SimulcastLayerDemandTest {

    private static final CodecSpec VP8 = new CodecSpec(96, "VP8", 90000, 0, "", List.of("nack", "nack pli"));
    private final ParticipantId publisher = ParticipantId.random();

    private TrackInfo simulcast() {
        return new TrackInfo(TrackId.random(), publisher, "video", "camera", List.of("q", "h", "f"), false, "1",
                "node-a", VP8, 0);
    }

    @Test
    void announcesOnlyChangesOfTheUnionOfWhatSubscribersNeed() {
        SimulcastLayerDemand demand = new SimulcastLayerDemand();
        TrackInfo track = simulcast();
        ParticipantId bob = ParticipantId.random();
        ParticipantId carol = ParticipantId.random();
        assertThat(demand.update(track, bob, 0b100)).contains(List.of(false, false, true));
        assertThat(demand.update(track, carol, 0b100)).isEmpty();
        assertThat(demand.update(track, carol, 0b001)).contains(List.of(true, false, true));
        assertThat(demand.update(track, bob, 0)).contains(List.of(true, false, false));
        Map<TrackInfo, List<Boolean>> afterCarol = demand.removeSubscriber(carol, id -> track);
        assertThat(afterCarol).containsEntry(track, List.of(false, false, false));
    }

    @Test
    void keepsNothingForTracksAndSubscribersThatAreGone() {
        SimulcastLayerDemand demand = new SimulcastLayerDemand();
        ParticipantId bob = ParticipantId.random();
        for (int i = 0; i < 10_000; i++) {
            TrackInfo track = simulcast();
            demand.update(track, bob, 0b010);
            demand.update(track, ParticipantId.random(), 0b001);
            demand.removeTrack(track.trackId());
        }
        assertThat(demand.trackEntries()).isZero();

        TrackInfo kept = simulcast();
        for (int i = 0; i < 10_000; i++) {
            ParticipantId subscriber = ParticipantId.random();
            demand.update(kept, subscriber, 0b001);
            demand.removeSubscriber(subscriber, id -> kept);
        }
        assertThat(demand.trackEntries()).as("the announcement of the track still published").isEqualTo(1);
        assertThat(demand.update(kept, bob, 0b001)).contains(List.of(true, false, false));
    }

    @Test
    void forgettingASubscriberTellsNobodyAboutTracksNoLongerPublished() {
        SimulcastLayerDemand demand = new SimulcastLayerDemand();
        TrackInfo track = simulcast();
        ParticipantId bob = ParticipantId.random();
        demand.update(track, bob, 0b001);

        assertThat(demand.removeSubscriber(bob, id -> null)).isEmpty();
        assertThat(demand.removeSubscriber(bob, id -> track)).as("bob needed nothing any more").isEmpty();
    }
}
