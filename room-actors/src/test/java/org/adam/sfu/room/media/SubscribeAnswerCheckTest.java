package org.adam.sfu.room.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.adam.sfu.room.CodecSpec;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.sdp.BundlePayloadTypes;
import org.adam.sfu.webrtc.sdp.SubscribeAnswer;
import org.junit.jupiter.api.Test;

class SubscribeAnswerCheckTest {

    private static final CodecSpec VP8 = new CodecSpec(96, "VP8", 90000, 0, "", List.of());

    private final MlineTable<SentTrack> mlines = new MlineTable<>();

    /** A video line sent with payload type 96 and RTX 97. */
    private MlineTable.MLine<SentTrack> line(String trackId) {
        TrackInfo track = new TrackInfo(new TrackId(trackId), ParticipantId.random(), "video", "camera", List.of(),
                false, "1", "node-a", VP8, 0);
        DownTrack downTrack = new DownTrack(List.of(new TrackForwarder(trackId, true, null, 90000, null, 0)), 0, null,
                1, 96, (d, l) -> { });
        return mlines.add("video", new SentTrack(track, downTrack, new BundlePayloadTypes.Assigned(96, 97), 2, 0));
    }

    private static SubscribeAnswer answer(Map<String, List<String>> formatsByMid) {
        return new SubscribeAnswer(null, List.copyOf(formatsByMid.keySet()), formatsByMid, false);
    }

    @Test
    void aLineRejectedOrAnsweredWithoutItsCodecIsRefused() {
        MlineTable.MLine<SentTrack> kept = line("kept");
        MlineTable.MLine<SentTrack> rejected = line("rejected");
        MlineTable.MLine<SentTrack> otherCodec = line("other-codec");
        mlines.offered();
        SubscribeAnswer answer = answer(Map.of(kept.mid(), List.of("96", "97"), otherCodec.mid(), List.of("100")));

        assertThat(SubscribeAnswerCheck.refusedCodec(mlines, answer)).containsExactly(rejected, otherCodec);
        assertThat(SubscribeAnswerCheck.accepted(mlines, answer))
                .containsExactly(kept.content().downTrack, otherCodec.content().downTrack);
    }

    @Test
    void aLineAddedWhileTheOfferWasOutIsNeitherRefusedNorAccepted() {
        MlineTable.MLine<SentTrack> offered = line("offered");
        mlines.offered();
        line("late");
        SubscribeAnswer answer = answer(Map.of(offered.mid(), List.of("96", "97")));
        assertThat(SubscribeAnswerCheck.refusedCodec(mlines, answer)).isEmpty();
        assertThat(SubscribeAnswerCheck.accepted(mlines, answer)).containsExactly(offered.content().downTrack);
    }

    @Test
    void aLineNoLongerSendingIsNeitherRefusedNorAccepted() {
        line("anchor");
        MlineTable.MLine<SentTrack> freed = line("freed");
        mlines.offered();
        mlines.free(freed);
        assertThat(SubscribeAnswerCheck.refusedCodec(mlines, answer(Map.of("0", List.of("96"))))).isEmpty();
        assertThat(SubscribeAnswerCheck.accepted(mlines, answer(Map.of(freed.mid(), List.of("96"))))).isEmpty();
    }

    @Test
    void rtxIsDeclinedWhereTheAnswerKeepsTheLineButNotRtx() {
        MlineTable.MLine<SentTrack> withRtx = line("with-rtx");
        MlineTable.MLine<SentTrack> withoutRtx = line("without-rtx");
        line("rejected");
        mlines.offered();
        SubscribeAnswer answer = answer(Map.of(withRtx.mid(), List.of("96", "97"), withoutRtx.mid(), List.of("96")));
        assertThat(SubscribeAnswerCheck.rtxDeclined(mlines, answer)).containsExactly(withoutRtx.content().downTrack);
    }
}
