package org.adam.sfu.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.adam.sfu.room.CodecSpec;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;

/** What a pipe receives: which tracks, for whom, and which layers the far node is asked for. */
class IncomingPipeTracksTest {

    private static final CodecSpec VP8 = new CodecSpec(96, "VP8", 90000, 0, "", List.of("nack", "nack pli"));

    private final IncomingPipeTracks tracks = new IncomingPipeTracks();
    private final ParticipantId bob = ParticipantId.random();
    private final ParticipantId carol = ParticipantId.random();
    private final TestInbox<Participant.Command> bobInbox = TestInbox.create();
    private final TestInbox<Participant.Command> carolInbox = TestInbox.create();

    private static TrackInfo simulcast() {
        return new TrackInfo(TrackId.random(), ParticipantId.random(), "video", "camera", List.of("q", "h", "f"),
                false, "1", "node-b", VP8, 0);
    }

    private static List<TrackForwarder> forwarders(TrackInfo track, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new TrackForwarder(track.trackId().value(), true, VideoCodec.VP8, 90000, null, 1000 + i))
                .toList();
    }

    @Test
    void aTrackIsFreshOnlyForItsFirstReceiver() {
        TrackInfo track = simulcast();
        assertThat(tracks.want(track, bob, bobInbox.getRef())).isTrue();
        assertThat(tracks.want(track, carol, carolInbox.getRef())).isFalse();
        assertThat(tracks.ids()).containsExactly(track.trackId().value());
    }

    @Test
    void idsKeepTheOrderTracksWereFirstWanted() {
        TrackInfo first = simulcast();
        TrackInfo second = simulcast();
        TrackInfo third = simulcast();
        tracks.want(first, bob, bobInbox.getRef());
        tracks.want(second, bob, bobInbox.getRef());
        tracks.want(third, bob, bobInbox.getRef());
        assertThat(tracks.ids()).containsExactly(first.trackId().value(), second.trackId().value(),
                third.trackId().value());
    }

    @Test
    void removingTheLastReceiverLeavesATrackWithoutReceivers() {
        TrackInfo track = simulcast();
        tracks.want(track, bob, bobInbox.getRef());
        tracks.want(track, carol, carolInbox.getRef());
        IncomingPipeTracks.Track in = tracks.get(track.trackId().value());

        assertThat(in.removeReceiver(ParticipantId.random())).isFalse();
        assertThat(in.removeReceiver(bob)).isTrue();
        assertThat(in.hasReceivers()).isTrue();
        assertThat(in.removeReceiver(bob)).isFalse();
        assertThat(in.removeReceiver(carol)).isTrue();
        assertThat(in.hasReceivers()).isFalse();
        assertThat(tracks.remove(track.trackId().value())).isSameAs(in);
        assertThat(tracks.isEmpty()).isTrue();
    }

    @Test
    void theTopLayerIsNeededUntilAReceiverSaysAndThenTheUnionOfWhatTheySay() {
        TrackInfo track = simulcast();
        tracks.want(track, bob, bobInbox.getRef());
        tracks.want(track, carol, carolInbox.getRef());
        IncomingPipeTracks.Track in = tracks.get(track.trackId().value());

        assertThat(in.neededLayers()).isEqualTo(0b100);
        assertThat(in.demand(bob, 0b001)).isTrue();
        assertThat(in.demand(carol, 0b010)).isTrue();
        assertThat(in.neededLayers()).isEqualTo(0b011);
        assertThat(in.demand(carol, 0)).isTrue();
        assertThat(in.neededLayers()).isEqualTo(0b001);
    }

    @Test
    void aParticipantThatDoesNotReceiveTheTrackCannotDemandLayers() {
        TrackInfo track = simulcast();
        tracks.want(track, bob, bobInbox.getRef());
        IncomingPipeTracks.Track in = tracks.get(track.trackId().value());

        assertThat(in.demand(carol, 0b001)).isFalse();
        assertThat(in.neededLayers()).isEqualTo(0b100);
    }

    @Test
    void aRemovedReceiverNoLongerAddsItsLayers() {
        TrackInfo track = simulcast();
        tracks.want(track, bob, bobInbox.getRef());
        tracks.want(track, carol, carolInbox.getRef());
        IncomingPipeTracks.Track in = tracks.get(track.trackId().value());
        in.demand(bob, 0b001);
        in.demand(carol, 0b100);

        in.removeReceiver(carol);
        assertThat(in.neededLayers()).isEqualTo(0b001);
    }

    @Test
    void theFarNodeIsAskedOnlyOnceItSendsAndOnlyWhenTheNeedChanged() {
        TrackInfo track = simulcast();
        tracks.want(track, bob, bobInbox.getRef());
        IncomingPipeTracks.Track in = tracks.get(track.trackId().value());

        assertThat(in.takeChangedNeed()).isEqualTo(-1);
        in.arrive(forwarders(track, 3));
        assertThat(in.arrived()).isTrue();
        assertThat(in.takeChangedNeed()).isEqualTo(0b100);
        assertThat(in.takeChangedNeed()).isEqualTo(-1);
        in.demand(bob, 0b001);
        assertThat(in.takeChangedNeed()).isEqualTo(0b001);
        in.demand(bob, 0b001);
        assertThat(in.takeChangedNeed()).isEqualTo(-1);
    }

    @Test
    void everyReceiverHearsThatTheTrackArrives() {
        TrackInfo track = simulcast();
        tracks.want(track, bob, bobInbox.getRef());
        tracks.want(track, carol, carolInbox.getRef());

        tracks.get(track.trackId().value()).notifyReady();
        bobInbox.expectMessage(new Participant.RemoteTrackReady(track.trackId()));
        carolInbox.expectMessage(new Participant.RemoteTrackReady(track.trackId()));
    }
}
