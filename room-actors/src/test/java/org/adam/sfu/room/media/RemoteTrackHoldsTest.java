package org.adam.sfu.room.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.adam.sfu.room.CodecSpec;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

class RemoteTrackHoldsTest {

    private static final CodecSpec OPUS = new CodecSpec(111, "opus", 48000, 2, "", List.of());
    private static final RoomKey ROOM = new RoomKey("neighbourhood://test", "r");

    /** What the holds asked of the broker, as text. */
    static final class RecordingBroker implements RemoteTrackBroker {
        final List<String> calls = new ArrayList<>();

        @Override
        public void need(RoomKey room, TrackInfo track, ParticipantId participant,
                         ActorRef<Participant.Command> notify) {
            calls.add("need " + track.trackId().value());
        }

        @Override
        public void release(RoomKey room, TrackId track, ParticipantId participant) {
            calls.add("release " + track.value());
        }

        @Override
        public void demand(RoomKey room, TrackInfo track, ParticipantId participant, int layers) {
            calls.add("demand " + track.trackId().value() + " " + layers);
        }
    }

    static TrackInfo remoteTrack(String id) {
        return new TrackInfo(new TrackId(id), ParticipantId.random(), "audio", "microphone", List.of(), false, "0",
                "node-b", OPUS, 0);
    }

    private final RecordingBroker broker = new RecordingBroker();
    private final RemoteTrackHolds holds = new RemoteTrackHolds(broker, ROOM, ParticipantId.random(), null);

    @Test
    void aTrackIsAskedOfTheBrokerOnceAndAwaitedUntilItArrives() {
        TrackInfo track = remoteTrack("t1");
        holds.hold(track);
        holds.hold(track);
        assertThat(broker.calls).containsExactly("need t1");
        assertThat(holds.awaiting(track.trackId())).isTrue();

        assertThat(holds.arrived(track.trackId())).isTrue();
        assertThat(holds.awaiting(track.trackId())).isFalse();
        assertThat(holds.arrived(track.trackId())).as("it arrives once").isFalse();
        holds.hold(track);
        assertThat(broker.calls).as("still held: not asked again").containsExactly("need t1");
    }

    @Test
    void tracksNoLongerWantedAreReleasedAndNoLongerAwaited() {
        TrackInfo kept = remoteTrack("kept");
        TrackInfo dropped = remoteTrack("dropped");
        holds.hold(kept);
        holds.hold(dropped);
        holds.releaseAllBut(Set.of(kept.trackId()));
        assertThat(broker.calls).containsExactly("need kept", "need dropped", "release dropped");
        assertThat(holds.awaiting(dropped.trackId())).isFalse();
        assertThat(holds.arrived(dropped.trackId())).as("a late arrival of a released track").isFalse();
        assertThat(holds.awaiting(kept.trackId())).isTrue();

        holds.hold(dropped);
        assertThat(broker.calls).as("wanted again: asked again").endsWith("need dropped");
    }
}
