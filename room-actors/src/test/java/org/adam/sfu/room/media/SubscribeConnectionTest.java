package org.adam.sfu.room.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.adam.sfu.room.CodecSpec;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.adam.sfu.webrtc.sdp.MediaDescription;
import org.adam.sfu.webrtc.sdp.SessionDescription;
import org.adam.sfu.webrtc.transport.MediaServerConfig;
import org.adam.sfu.webrtc.transport.MediaWorkers;
import org.adam.sfu.webrtc.transport.TransportListener;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A subscribe connection on a real media worker (loopback), driven through offers and answers
 * as a client would answer them: tracks come and go, and the offer stays as large as what is
 * received at once.
 */
class SubscribeConnectionTest {

    private static final CodecSpec VP8 = new CodecSpec(96, "VP8", 90000, 0, "", List.of("nack", "nack pli"));
    private static final CodecSpec OPUS = new CodecSpec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of());
    private static final String NODE = "node-a";
    private static final ActorTestKit KIT = ActorTestKit.create();
    private static MediaWorkers workers;

    private final RoomKey room = new RoomKey("neighbourhood://test", "r" + System.nanoTime());
    private final ParticipantId publisher = ParticipantId.random();
    private final List<TrackForwarder> forwarders = new ArrayList<>();

    @BeforeAll
    static void startWorkers() throws Exception {
        workers = MediaWorkers.start(MediaServerConfig.loopback(0), 1);
    }

    @AfterAll
    static void stop() {
        workers.close();
        KIT.shutdownTestKit();
    }

    private static final RemoteTrackBroker LOCAL_ONLY = new RemoteTrackBroker() {
        @Override
        public void need(RoomKey room, TrackInfo track, ParticipantId participant,
                         ActorRef<Participant.Command> notify) {
            throw new AssertionError("every track here is local");
        }

        @Override
        public void release(RoomKey room, TrackId track, ParticipantId participant) {
        }

        @Override
        public void demand(RoomKey room, TrackInfo track, ParticipantId participant, int layers) {
        }
    };

    private static final TransportListener QUIET = new TransportListener() {
        @Override
        public void onConnected() {
        }

        @Override
        public void onClosed(String reason) {
        }
    };

    private SubscribeConnection subscriber() {
        MediaServices media = new MediaServices(workers, NODE, LOCAL_ONLY);
        return new SubscribeConnection(ParticipantId.random(), room, KIT.<Participant.Command>createTestProbe().getRef(),
                media, QUIET, (trackId, layers) -> { });
    }

    /** A track published on this node: its forwarder is where subscribers' down tracks attach. */
    private TrackInfo publish(String kind) {
        boolean video = kind.equals("video");
        TrackInfo track = new TrackInfo(TrackId.random(), publisher, kind, video ? "camera" : "microphone", List.of(),
                false, video ? "1" : "0", NODE, video ? VP8 : OPUS, 0);
        TrackForwarder forwarder = new TrackForwarder(track.trackId().value(), video, video ? VideoCodec.VP8 : null,
                video ? 90000 : 48000, null, 0);
        workers.forRoom(room.toString()).router().add(forwarder);
        forwarders.add(forwarder);
        return track;
    }

    private void unpublishAll() {
        forwarders.forEach(f -> workers.forRoom(room.toString()).router().remove(f));
        forwarders.clear();
    }

    /** What a browser answers: every m-line it was offered, rejected where the offer rejected it. */
    private static String answer(String offerSdp) throws Exception {
        SessionDescription offer = SessionDescription.parse(offerSdp);
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        StringBuilder media = new StringBuilder();
        for (MediaDescription m : offer.media()) {
            String format = m.formats().get(0);
            if (m.isRejected()) {
                media.append("m=").append(m.kind()).append(" 0 UDP/TLS/RTP/SAVPF ").append(format).append("\r\n")
                        .append("c=IN IP4 0.0.0.0\r\na=mid:").append(m.mid()).append("\r\na=inactive\r\n");
                continue;
            }
            bundle.append(' ').append(m.mid());
            media.append("m=").append(m.kind()).append(" 9 UDP/TLS/RTP/SAVPF ").append(String.join(" ", m.formats()))
                    .append("\r\nc=IN IP4 0.0.0.0\r\na=mid:").append(m.mid())
                    .append("\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n")
                    .append("a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\n")
                    .append("a=setup:active\r\n")
                    .append("sendonly".equals(m.direction()) ? "a=recvonly\r\n" : "a=inactive\r\n");
        }
        return "v=0\r\no=- 7 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" + bundle + "\r\n" + media;
    }

    /** Sends the next offer (there must be one) and applies the client's answer; returns the offer. */
    private static SessionDescription negotiate(SubscribeConnection connection) throws Exception {
        Optional<String> offer = connection.nextOffer();
        assertThat(offer).as("an offer is due").isPresent();
        connection.handleAnswer(answer(offer.get()));
        return SessionDescription.parse(offer.get());
    }

    @Test
    void tenThousandPublishUnpublishCyclesKeepTheOfferBounded() throws Exception {
        SubscribeConnection connection = subscriber();
        int longest = 0;
        int mostMLines = 0;
        SessionDescription last = null;
        for (int cycle = 0; cycle < 10_000; cycle++) {
            TrackInfo audio = publish("audio");
            TrackInfo video = publish("video");
            connection.update(List.of(audio, video));
            String offer = connection.nextOffer().orElseThrow();
            connection.handleAnswer(answer(offer));
            longest = Math.max(longest, offer.length());
            mostMLines = Math.max(mostMLines, SessionDescription.parse(offer).media().size());
            last = SessionDescription.parse(offer);

            unpublishAll();
            connection.update(List.of());
            negotiate(connection);
        }
        // One place per track received at once, and the first m-line, kept inactive for the BUNDLE
        // transport after its track went.
        assertThat(mostMLines).as("m-lines of any offer").isLessThanOrEqualTo(3);
        assertThat(connection.mLineCount()).isLessThanOrEqualTo(3);
        assertThat(longest).as("characters of the longest offer").isLessThan(8_000);
        assertThat(last.media().stream().filter(m -> "sendonly".equals(m.direction())).count()).isEqualTo(2);
        assertThat(last.media().get(0).isRejected()).as("the first m-line is never rejected").isFalse();
    }

    @Test
    void aRemovedTracksPlaceIsRejectedThenTakenByTheNextTrackOfItsKindWithANewMid() throws Exception {
        SubscribeConnection connection = subscriber();
        TrackInfo first = publish("video");
        TrackInfo second = publish("video");
        connection.update(List.of(first, second));
        SessionDescription offer = negotiate(connection);
        assertThat(offer.media()).extracting(MediaDescription::mid).containsExactly("0", "1");

        connection.update(List.of(first));
        offer = negotiate(connection);
        assertThat(offer.media().get(1).isRejected()).isTrue();
        assertThat(offer.bundleMids()).containsExactly("0");

        TrackInfo audio = publish("audio");
        connection.update(List.of(first, audio));
        offer = negotiate(connection);
        assertThat(offer.media()).as("an audio track does not take a video place").hasSize(3);
        assertThat(offer.media().get(2).kind()).isEqualTo("audio");

        TrackInfo third = publish("video");
        connection.update(List.of(first, audio, third));
        offer = negotiate(connection);
        assertThat(offer.media()).hasSize(3);
        MediaDescription recycled = offer.media().get(1);
        assertThat(recycled.isRejected()).isFalse();
        assertThat(recycled.mid()).as("a recycled place gets a new mid").isEqualTo("3");
        assertThat(recycled.msid()).endsWith(third.trackId().value());
        assertThat(offer.bundleMids()).containsExactly("0", "3", "2");
    }

    @Test
    void aPlaceIsRecycledOnlyAfterTheClientAnsweredAnOfferRejectingIt() throws Exception {
        SubscribeConnection connection = subscriber();
        TrackInfo anchor = publish("video");
        TrackInfo leaving = publish("video");
        connection.update(List.of(anchor, leaving));
        negotiate(connection);

        connection.update(List.of(anchor));
        String rejecting = connection.nextOffer().orElseThrow();
        // A new track while the rejecting offer is out gets an m-line of its own.
        TrackInfo early = publish("video");
        connection.update(List.of(anchor, early));
        connection.handleAnswer(answer(rejecting));
        SessionDescription next = negotiate(connection);
        assertThat(next.media()).hasSize(3);
        assertThat(next.media().get(1).isRejected()).isTrue();
        assertThat(next.media().get(2).msid()).endsWith(early.trackId().value());
    }

    @Test
    void restartIceOffersNewCredentialsOnTheSameTransportWithTheSameTracks() throws Exception {
        SubscribeConnection connection = subscriber();
        assertThat(connection.restartIce()).as("nothing offered yet: nothing to restart").isFalse();
        TrackInfo audio = publish("audio");
        TrackInfo video = publish("video");
        connection.update(List.of(audio, video));
        SessionDescription first = negotiate(connection);

        assertThat(connection.restartIce()).isTrue();
        SessionDescription restarted = negotiate(connection);
        MediaDescription before = first.media().get(0);
        MediaDescription after = restarted.media().get(0);
        assertThat(restarted.attributeOf(after, "ice-ufrag")).isNotEqualTo(first.attributeOf(before, "ice-ufrag"));
        assertThat(restarted.attributeOf(after, "ice-pwd")).isNotEqualTo(first.attributeOf(before, "ice-pwd"));
        assertThat(restarted.attributeOf(after, "fingerprint")).as("same DTLS")
                .isEqualTo(first.attributeOf(before, "fingerprint"));
        assertThat(restarted.media()).extracting(MediaDescription::mid)
                .containsExactlyElementsOf(first.media().stream().map(MediaDescription::mid).toList());
        assertThat(connection.nextOffer()).as("one offer per restart").isEmpty();
    }

    @Test
    void theFirstMLineStaysInactiveSoTheBundleTransportLives() throws Exception {
        SubscribeConnection connection = subscriber();
        TrackInfo audio = publish("audio");
        TrackInfo video = publish("video");
        connection.update(List.of(audio, video));
        negotiate(connection);

        unpublishAll();
        connection.update(List.of());
        SessionDescription offer = negotiate(connection);
        assertThat(offer.media().get(0).isRejected()).isFalse();
        assertThat(offer.media().get(0).direction()).isEqualTo("inactive");
        assertThat(offer.media().get(1).isRejected()).isTrue();
        assertThat(offer.bundleMids()).containsExactly("0");
    }

    @Test
    void codecConfigurationsBeyondWhatTheBundleCanNumberAreNotOfferedAndNothingBreaks() throws Exception {
        SubscribeConnection connection = subscriber();
        List<TrackId> unavailable = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // A publisher is free to write any format parameters: each is a configuration of its own.
            TrackInfo track = new TrackInfo(TrackId.random(), publisher, "audio", "microphone", List.of(), false, "0",
                    NODE, new CodecSpec(111, "opus", 48000, 2, "minptime=10;x-variant=" + i, List.of()), 0);
            workers.forRoom(room.toString()).router().add(new TrackForwarder(track.trackId().value(), false, null,
                    48000, null, 0));
            unavailable.addAll(connection.update(List.of(track)));
            connection.nextOffer().ifPresent(offer -> {
                try {
                    connection.handleAnswer(answer(offer));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
        assertThat(unavailable).as("tracks the bundle had no payload type left for").isNotEmpty();
        TrackInfo known = new TrackInfo(TrackId.random(), publisher, "audio", "microphone", List.of(), false, "0",
                NODE, new CodecSpec(111, "opus", 48000, 2, "minptime=10;x-variant=0", List.of()), 0);
        workers.forRoom(room.toString()).router().add(new TrackForwarder(known.trackId().value(), false, null,
                48000, null, 0));
        assertThat(connection.update(List.of(known))).isEmpty();
        SessionDescription offer = negotiate(connection);
        assertThat(offer.media().stream().filter(m -> "sendonly".equals(m.direction())).count())
                .as("a track of a configuration the bundle already numbers is still offered").isEqualTo(1);
    }

    @Test
    void aReceivePreferenceReachesTheDownTrackAtTheTimeOfTheClockGiven() throws Exception {
        CountDownLatch read = new CountDownLatch(1);
        MediaServices media = new MediaServices(workers, NODE, LOCAL_ONLY);
        SubscribeConnection connection = new SubscribeConnection(ParticipantId.random(), room,
                KIT.<Participant.Command>createTestProbe().getRef(), media, QUIET, (trackId, layers) -> { },
                () -> {
                    read.countDown();
                    return 42L;
                });
        connection.update(List.of(publish("video")));
        connection.setQuality("low", null);
        assertThat(read.await(5, TimeUnit.SECONDS)).as("the media loop read the clock given").isTrue();
        connection.close();
    }
}
