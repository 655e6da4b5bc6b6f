package org.adam.sfu.room.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.adam.sfu.room.CodecSpec;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.webrtc.sdp.BundlePayloadTypes;
import org.junit.jupiter.api.Test;

class ReceiveLayersTest {

    private static final CodecSpec VP8 = new CodecSpec(96, "VP8", 90000, 0, "", List.of());

    private final MlineTable<SentTrack> mlines = new MlineTable<>();
    private final List<String> demands = new ArrayList<>();
    private final ReceiveLayers layers = new ReceiveLayers(mlines, null, new LayerDemandReport(
            (trackId, mask) -> demands.add(trackId.value() + " " + mask),
            new RemoteTrackHolds(new RemoteTrackHoldsTest.RecordingBroker(),
                    new RoomKey("neighbourhood://test", "r"), ParticipantId.random(), null),
            "node-a"));

    /** A simulcast track sent from {@code firstLayer}; its down track is not needed here. */
    private MlineTable.MLine<SentTrack> simulcast(String id, int firstLayer) {
        TrackInfo track = new TrackInfo(new TrackId(id), ParticipantId.random(), "video", "camera",
                List.of("q", "h", "f"), false, "1", "node-a", VP8, 0);
        return mlines.add("video", new SentTrack(track, null, new BundlePayloadTypes.Assigned(96, 97), 1, firstLayer));
    }

    @Test
    void qualityNamesALayerOfHoweverManyThereAre() {
        assertThat(ReceiveLayers.layerFor("low", 3)).isEqualTo(0);
        assertThat(ReceiveLayers.layerFor("medium", 3)).isEqualTo(1);
        assertThat(ReceiveLayers.layerFor("high", 3)).isEqualTo(2);
        assertThat(ReceiveLayers.layerFor("auto", 2)).isEqualTo(1);
        assertThat(ReceiveLayers.layerFor("medium", 1)).isEqualTo(0);
    }

    @Test
    void aPreferenceForAllTracksIsWhereLaterTracksStartButOneForATrackIsNot() {
        assertThat(layers.firstLayer(3)).as("auto: the highest").isEqualTo(2);
        layers.setQuality("low", null);
        assertThat(layers.firstLayer(3)).isEqualTo(0);
        layers.setQuality("high", new TrackId("some-track"));
        assertThat(layers.firstLayer(3)).isEqualTo(0);
    }

    @Test
    void layerMovesAreReportedAsTheLayersTheTrackNeeds() {
        MlineTable.MLine<SentTrack> line = simulcast("t", 2);
        layers.targetChanged(new TrackId("t"), 0);
        layers.layerChanged(new TrackId("t"), 0);
        layers.targetChanged(new TrackId("other"), 1);
        assertThat(demands).containsExactly("t 5", "t 1");
        assertThat(line.content().forwarding).isZero();

        mlines.free(simulcast("u", 1));
        layers.targetChanged(new TrackId("u"), 0);
        assertThat(demands).as("a freed line's track moves nothing").containsExactly("t 5", "t 1");
        layers.report(mlines.lines().get(1));
        assertThat(demands).endsWith("u 0");
    }

    @Test
    void aLayerIsNamedByItsRidOrElseItsIndex() {
        simulcast("t", 0);
        assertThat(layers.layerName(new TrackId("t"), 1)).isEqualTo("h");
        assertThat(layers.layerName(new TrackId("t"), 3)).isEqualTo("3");
        assertThat(layers.layerName(new TrackId("unknown"), 0)).isEqualTo("0");
    }
}
