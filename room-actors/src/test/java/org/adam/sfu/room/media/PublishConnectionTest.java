package org.adam.sfu.room.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.webrtc.transport.MediaServerConfig;
import org.adam.sfu.webrtc.transport.MediaWorkers;
import org.adam.sfu.webrtc.transport.TransportListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A publish connection on a real media worker (loopback), given offers as a client sends them. */
class PublishConnectionTest {

    private static MediaWorkers workers;

    @BeforeAll
    static void startWorkers() throws Exception {
        workers = MediaWorkers.start(MediaServerConfig.loopback(0), 1);
    }

    @AfterAll
    static void stop() {
        workers.close();
    }

    private static final TransportListener QUIET = new TransportListener() {
        @Override
        public void onConnected() {
        }

        @Override
        public void onClosed(String reason) {
        }
    };

    private static PublishConnection publisher() {
        MediaServices media = new MediaServices(workers, "node-a", null);
        return new PublishConnection(ParticipantId.random(), new RoomKey("neighbourhood://test", "r" + System.nanoTime()),
                "node-a", media, QUIET, List.of());
    }

    /** An offer sending {@code tracks} Opus tracks, each with its own SSRC, all bundled. */
    private static String offerOf(int tracks) {
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        StringBuilder media = new StringBuilder();
        for (int i = 0; i < tracks; i++) {
            bundle.append(' ').append(i);
            media.append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:").append(i)
                    .append("\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n")
                    .append("a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\n")
                    .append("a=setup:actpass\r\na=sendonly\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n")
                    .append("a=ssrc:").append(1000 + i).append(" cname:c\r\n");
        }
        return "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" + bundle + "\r\n" + media;
    }

    @Test
    void anOfferWithNewIceCredentialsIsAnIceRestartAnsweredWithNewCredentialsAndTheSameTracks() throws Exception {
        PublishConnection connection = publisher();
        String offer = offerOf(2);
        PublishConnection.Result first = connection.handleOffer(offer, Map.of());
        assertThat(first.added()).hasSize(2);
        PublishConnection.Result again = connection.handleOffer(offer, Map.of());
        assertThat(attribute(again.answerSdp(), "ice-ufrag")).as("same credentials: no restart")
                .isEqualTo(attribute(first.answerSdp(), "ice-ufrag"));

        PublishConnection.Result restarted = connection.handleOffer(
                offer.replace("a=ice-ufrag:abcd", "a=ice-ufrag:efgh")
                        .replace("a=ice-pwd:abcdefghijklmnopqrstuvwx", "a=ice-pwd:zyxwvutsrqponmlkjihgfedc"), Map.of());
        assertThat(attribute(restarted.answerSdp(), "ice-ufrag")).isNotEqualTo(attribute(first.answerSdp(), "ice-ufrag"));
        assertThat(attribute(restarted.answerSdp(), "ice-pwd")).isNotEqualTo(attribute(first.answerSdp(), "ice-pwd"));
        assertThat(attribute(restarted.answerSdp(), "fingerprint")).as("same DTLS")
                .isEqualTo(attribute(first.answerSdp(), "fingerprint"));
        assertThat(restarted.added()).isEmpty();
        assertThat(restarted.removed()).isEmpty();
        assertThat(connection.tracks()).hasSize(2);
        connection.close();
    }

    private static String attribute(String sdp, String name) {
        return sdp.lines().filter(line -> line.startsWith("a=" + name + ":")).findFirst().orElseThrow()
                .substring(name.length() + 3);
    }

    @Test
    void takesUpToTheTrackBoundAndRefusesAnOfferSendingMore() throws Exception {
        PublishConnection connection = publisher();
        PublishConnection.Result result = connection.handleOffer(offerOf(PublishConnection.MAX_TRACKS), Map.of());
        assertThat(result.added()).hasSize(PublishConnection.MAX_TRACKS);
        connection.close();

        PublishConnection greedy = publisher();
        assertThatThrownBy(() -> greedy.handleOffer(offerOf(PublishConnection.MAX_TRACKS + 1), Map.of()))
                .isInstanceOf(NegotiationException.class).hasMessageContaining("at most " + PublishConnection.MAX_TRACKS);
        assertThat(greedy.tracks()).isEmpty();
        greedy.close();
    }
}
