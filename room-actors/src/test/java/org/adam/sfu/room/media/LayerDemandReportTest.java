package org.adam.sfu.room.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.adam.sfu.room.CodecSpec;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.junit.jupiter.api.Test;

class LayerDemandReportTest {

    private static final CodecSpec VP8 = new CodecSpec(96, "VP8", 90000, 0, "", List.of());

    private final List<String> toRoom = new ArrayList<>();
    private final RemoteTrackHoldsTest.RecordingBroker broker = new RemoteTrackHoldsTest.RecordingBroker();
    private final LayerDemandReport report = new LayerDemandReport(
            (trackId, layers) -> toRoom.add(trackId.value() + " " + layers),
            new RemoteTrackHolds(broker, new RoomKey("neighbourhood://test", "r"), ParticipantId.random(), null),
            "node-a");

    private static TrackInfo video(String id, String node, List<String> layers) {
        return new TrackInfo(new TrackId(id), ParticipantId.random(), "video", "camera", layers, false, "1", node,
                VP8, 0);
    }

    @Test
    void aSendingTrackNeedsTheLayerForwardedAndTheOneAimedAt() {
        report.report(video("t", "node-a", List.of("q", "h", "f")), true, 0, 2);
        report.report(video("u", "node-a", List.of("q", "h", "f")), true, 1, 1);
        assertThat(toRoom).containsExactly("t 5", "u 2");
        assertThat(broker.calls).as("local tracks come through no pipe").isEmpty();
    }

    @Test
    void aStoppedTrackNeedsNothingAndItsPipeIsNotToldSo() {
        report.report(video("t", "node-b", List.of("q", "h")), false, 1, 1);
        assertThat(toRoom).containsExactly("t 0");
        assertThat(broker.calls).isEmpty();
    }

    @Test
    void aTrackOfAnotherNodeTellsItsPipeToo() {
        report.report(video("t", "node-b", List.of("q", "h")), true, 0, 0);
        assertThat(toRoom).containsExactly("t 1");
        assertThat(broker.calls).containsExactly("demand t 1");
    }

    @Test
    void aTrackWithoutSimulcastIsNotReported() {
        report.report(video("t", "node-b", List.of()), true, 0, 0);
        assertThat(toRoom).isEmpty();
        assertThat(broker.calls).isEmpty();
    }
}
