package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.junit.jupiter.api.Test;

/** Metrics read the tracks' totals from a snapshot the media loop publishes, never the forwarders. */
class TrackTotalsTest {

    @Test
    void theLoopCountsItsTracksAndReceiversForOthersToRead() throws Exception {
        try (MediaWorkers media = MediaWorkers.start(MediaServerConfig.loopback(0), 1)) {
            MediaServer server = media.all().get(0);
            TrackForwarder track = new TrackForwarder("audio-1", false, null, 48000, null, 1234);
            server.router().add(track);
            server.eventLoop().execute(() -> {
                track.addDownTrack(new DownTrack(track, null, 1, -1));
                track.addDownTrack(new DownTrack(track, null, 2, -1));
            });
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (media.trackTotals().tracks() != 1 || media.trackTotals().receivers() != 2) {
                assertThat(System.nanoTime()).as("totals after 5 s: %s", media.trackTotals()).isLessThan(deadline);
                Thread.sleep(20); // poll interval inside a bounded wait; the loop counts once a second
            }
        }
    }
}
