package org.adam.sfu.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.junit.jupiter.api.Test;

/** What a pipe sends: the SSRC per layer the far node is told, and which layers are attached. */
class OutgoingPipeTracksTest {

    private static DownTrack layer(int ssrc) {
        TrackForwarder source = new TrackForwarder("t", true, VideoCodec.VP8, 90000, null, 1);
        return new DownTrack(source, null, ssrc, -1);
    }

    @Test
    void theSsrcsAreUnsignedAndLowestLayerFirst() {
        OutgoingPipeTracks.Track track = new OutgoingPipeTracks.Track(List.of(layer(7), layer(0xFFFFFFFE), layer(9)));
        assertThat(track.ssrcs()).containsExactly(7L, 0xFFFFFFFEL, 9L);
    }

    @Test
    void attachingRecordsTheNewLayersAndReturnsThoseBefore() {
        OutgoingPipeTracks.Track track = new OutgoingPipeTracks.Track(List.of(layer(1), layer(2)));
        assertThat(track.attached()).isZero();
        assertThat(track.attach(0b10)).isZero();
        assertThat(track.attached()).isEqualTo(0b10);
        assertThat(track.attach(0b01)).isEqualTo(0b10);
        assertThat(track.attached()).isEqualTo(0b01);
    }

    @Test
    void aTrackIsSentFromPutUntilRemoved() {
        OutgoingPipeTracks tracks = new OutgoingPipeTracks();
        OutgoingPipeTracks.Track track = new OutgoingPipeTracks.Track(List.of(layer(1)));
        assertThat(tracks.isEmpty()).isTrue();
        tracks.put("a", track);
        assertThat(tracks.get("a")).isSameAs(track);
        assertThat(tracks.isEmpty()).isFalse();
        assertThat(tracks.remove("b")).isNull();
        assertThat(tracks.remove("a")).isSameAs(track);
        assertThat(tracks.get("a")).isNull();
        assertThat(tracks.isEmpty()).isTrue();
    }
}
