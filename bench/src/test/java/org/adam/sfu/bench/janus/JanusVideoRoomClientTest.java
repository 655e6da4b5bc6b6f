package org.adam.sfu.bench.janus;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.adam.sfu.bench.janus.JanusVideoRoomClient.PublishedFeed;
import org.adam.sfu.bench.janus.JanusVideoRoomClient.RoomSettings;
import org.adam.sfu.bench.janus.JanusVideoRoomClient.Subscriber;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Against a real Janus started by {@code scripts/bench/janus.sh} in the benchmark namespaces;
 * run from the load namespace with {@code -Dbench.janus=true} (see scripts/bench/janus-check.sh).
 * A captured Chromium offer (with this peer's ICE credentials, fingerprint and candidate) is
 * published; the peer connection is brought up with ICE and DTLS (no media follows), and
 * subscribers get Janus's offer for that feed and answer it.
 */
@Tag("janus")
@EnabledIfSystemProperty(named = "bench.janus", matches = "true")
class JanusVideoRoomClientTest {

    private static final URI API = URI.create(System.getProperty("bench.janus.api", "http://10.250.0.1:8088/janus"));
    private static final String SFU_IP = API.getHost();
    private static final String CLIENT_IP = System.getProperty("bench.janus.client-ip", "10.250.0.2");
    private static final long CONFIGURED_ROOM = Long.getLong("bench.janus.room", 1000);
    private static final Path CHROMIUM_OFFER = Path.of("../webrtc/src/test/resources/sdp/chromium-offer-audio-video.sdp");

    private final HttpClient http = JanusVideoRoomClient.httpClient();

    @Test
    void publishesACapturedChromiumOfferAndSubscribersGetAnOfferForTheFeed() throws Exception {
        String offer = Files.readString(CHROMIUM_OFFER).replace("\n", "\r\n");
        try (JanusVideoRoomClient alice = connect(); JanusVideoRoomClient bob = connect();
             IcePublisherPeer peer = new IcePublisherPeer(CLIENT_IP)) {
            assertThat(alice.roomExists(CONFIGURED_ROOM).get(10, TimeUnit.SECONDS)).isTrue();
            long room = alice.createRoom(RoomSettings.opusVp8(4242, 50)).get(10, TimeUnit.SECONDS);
            assertThat(room).isEqualTo(4242);
            // A second create of the same room is accepted (Janus: 427 room exists).
            assertThat(bob.createRoom(RoomSettings.opusVp8(4242, 50)).get(10, TimeUnit.SECONDS)).isEqualTo(4242);

            PublishedFeed published = alice.joinAndPublish(room, "alice", Jsep.offer(peer.offer(offer), false))
                    .get(15, TimeUnit.SECONDS);
            String answer = published.answer().sdp();
            System.out.println("publisher feed " + published.publisher().feedId() + ", Janus's answer:\n" + answer);
            assertThat(published.answer().type()).isEqualTo("answer");
            assertThat(answer).contains("a=rtpmap:111 opus/48000/2").contains("VP8/90000").contains("a=setup:active")
                    .contains("a=group:BUNDLE").contains("a=rtcp-mux").doesNotContain("a=ice-lite");
            assertOnlyBenchmarkCandidates(answer);

            // Janus lets others subscribe only once the publisher's peer connection is up.
            peer.connect(answer).get(20, TimeUnit.SECONDS);
            published.publisher().handle().webrtcUp().get(10, TimeUnit.SECONDS);
            System.out.println("publisher up: ICE connected " + peer.iceConnected + ", Janus checks answered "
                    + peer.checksAnswered);

            // Bob subscribes from his own session; Alice subscribes to her own feed on a second
            // handle of her session, so her long poll carries events of two handles.
            Subscriber bobs = bob.subscribe(room, published.publisher().feedId(), 0).get(15, TimeUnit.SECONDS);
            Subscriber alices = alice.subscribe(room, published.publisher().feedId(), published.publisher().privateId())
                    .get(15, TimeUnit.SECONDS);
            for (Subscriber subscriber : List.of(bobs, alices)) {
                String janusOffer = subscriber.offer().sdp();
                assertThat(subscriber.offer().type()).isEqualTo("offer");
                assertThat(janusOffer).contains("opus/48000/2").contains("VP8/90000").contains("a=sendonly");
                assertOnlyBenchmarkCandidates(janusOffer);
                subscriber.handle().trickleCompleted().get(10, TimeUnit.SECONDS);
                alice.start(subscriber, Jsep.answer(recvOnlyAnswer(janusOffer), false)).get(15, TimeUnit.SECONDS);
            }
            System.out.println("Janus's offer to a subscriber:\n" + bobs.offer().sdp());
            System.out.println("streams: " + bobs.streams());
            assertThat(alice.session().unroutedEvents()).isZero();
        }
    }

    /** Janus drops a session idle for 60 s; the client's keepalives keep it (takes 70 s: -Dbench.janus.slow=true). */
    @Test
    @EnabledIfSystemProperty(named = "bench.janus.slow", matches = "true")
    void keepsAnIdleSessionAliveBeyondJanusSessionTimeout() throws Exception {
        try (JanusVideoRoomClient idle = connect()) {
            Thread.sleep(70_000);
            assertThat(idle.session().closed()).isNotDone();
            assertThat(idle.roomExists(CONFIGURED_ROOM).get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private JanusVideoRoomClient connect() throws Exception {
        return JanusVideoRoomClient.connect(http, API, JanusSession.Options.defaults()).get(10, TimeUnit.SECONDS);
    }

    /** Janus gathers on the benchmark veth only: its one address, no host or loopback address. */
    private static void assertOnlyBenchmarkCandidates(String sdp) {
        List<String> candidates = sdp.lines().filter(line -> line.startsWith("a=candidate:")).toList();
        assertThat(candidates).isNotEmpty().allSatisfy(line -> assertThat(line).contains(" " + SFU_IP + " "));
    }

    /**
     * A minimal answer to Janus's subscriber offer: every section received only, our own ICE
     * credentials and a DTLS fingerprint (nothing will connect, Janus only has to accept it).
     */
    private static String recvOnlyAnswer(String janusOffer) {
        List<String> out = new ArrayList<>();
        for (String line : janusOffer.split("\r\n")) {
            if (line.startsWith("o=")) {
                out.add("o=- 4611731400430051336 2 IN IP4 127.0.0.1");
            } else if (line.equals("a=sendonly")) {
                out.add("a=recvonly");
            } else if (line.startsWith("a=ice-ufrag:")) {
                out.add("a=ice-ufrag:bnch");
            } else if (line.startsWith("a=ice-pwd:")) {
                out.add("a=ice-pwd:benchmarkbenchmarkbenchm");
            } else if (line.startsWith("a=fingerprint:")) {
                out.add("a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB");
            } else if (line.startsWith("a=setup:")) {
                out.add("a=setup:active");
            } else if (!(line.startsWith("a=candidate:") || line.startsWith("a=end-of-candidates")
                    || line.startsWith("a=ssrc") || line.startsWith("a=msid") || line.startsWith("a=ice-options"))) {
                out.add(line);
            }
        }
        return String.join("\r\n", out) + "\r\n";
    }
}
