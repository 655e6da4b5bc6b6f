package org.adam.sfu.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.adam.sfu.room.CodecSpec;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;

/** A pipe's counters: one entry per track and direction, read on the media loop only. */
class PipeStatsReaderTest {

    private static final CodecSpec OPUS = new CodecSpec(111, "opus", 48000, 2, "", List.of());

    @Test
    void eachTrackIsCountedOutThenInWithItsOriginNode() {
        OutgoingPipeTracks outgoing = new OutgoingPipeTracks();
        TrackForwarder published = new TrackForwarder("ours", true, VideoCodec.VP8, 90000, null, 1);
        outgoing.put("ours", new OutgoingPipeTracks.Track(List.of(new DownTrack(published, null, 5, -1))));
        IncomingPipeTracks incoming = new IncomingPipeTracks();
        TrackInfo theirs = new TrackInfo(new TrackId("theirs"), ParticipantId.random(), "audio", "microphone",
                List.of(), false, "0", "node-b", OPUS, 0);
        incoming.want(theirs, ParticipantId.random(), TestInbox.<Participant.Command>create().getRef());

        List<PipeStats.TrackCounters> counters = PipeStatsReader.reads("node-a", outgoing, incoming).stream()
                .map(Supplier::get).toList();

        assertThat(counters).containsExactly(new PipeStats.TrackCounters("ours", "out", "node-a", 0, 0),
                new PipeStats.TrackCounters("theirs", "in", "node-b", 0, 0));
    }

    @Test
    void countersOfEveryLayerAreSummed() {
        assertThat(PipeStatsReader.sum(List.of(3L, 4L, 5L), Long::longValue)).isEqualTo(12);
        assertThat(PipeStatsReader.sum(List.<Long>of(), Long::longValue)).isZero();
    }

    @Test
    void theReadsRunAndTheAnswerGoesOutOnTheMediaLoopOnly() {
        List<Runnable> loop = new ArrayList<>();
        AtomicReference<PipeStats> answered = new AtomicReference<>();
        PipeStats.TrackCounters one = new PipeStats.TrackCounters("t", "in", "node-b", 1, 100);

        PipeStatsReader.answer(loop::add, List.of(() -> one),
                counters -> new PipeStats("room", "node-a", "node-b", "offerer", true, counters), answered::set);
        assertThat(answered.get()).isNull();
        loop.forEach(Runnable::run);

        assertThat(answered.get()).isEqualTo(new PipeStats("room", "node-a", "node-b", "offerer", true, List.of(one)));
    }
}
