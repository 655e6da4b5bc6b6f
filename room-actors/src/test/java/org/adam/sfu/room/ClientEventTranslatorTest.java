package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ClientEventTranslatorTest {

    private static final Duration TEN = Duration.ofSeconds(10);
    private static final CodecSpec VP8 = new CodecSpec(96, "VP8", 90000, 0, "", List.of());

    private static TrackInfo simulcast(List<String> rids) {
        return new TrackInfo(new TrackId("t"), ParticipantId.random(), "video", "camera", rids, false, "1", "node-a",
                VP8, 0);
    }

    @Test
    void roomStateEventsBecomeTheirClientEvents() {
        ParticipantInfo bob = new ParticipantInfo(ParticipantId.random(), "did:key:z6Mkb", "bob", "node-a");
        TrackInfo track = simulcast(List.of());
        assertThat(ClientEventTranslator.roomState(new Room.ParticipantJoined(bob)))
                .isEqualTo(new ClientEvent.ParticipantJoined(bob));
        assertThat(ClientEventTranslator.roomState(new Room.ParticipantLeft(bob.participantId(), LeaveReason.KICKED)))
                .isEqualTo(new ClientEvent.ParticipantLeft(bob.participantId(), LeaveReason.KICKED));
        assertThat(ClientEventTranslator.roomState(new Room.TrackPublished(track)))
                .isEqualTo(new ClientEvent.TrackPublished(track));
        assertThat(ClientEventTranslator.roomState(new Room.TrackUnpublished(track.trackId())))
                .isEqualTo(new ClientEvent.TrackUnpublished(track.trackId()));
        assertThat(ClientEventTranslator.roomState(new Room.TrackMuted(track.trackId(), true)))
                .isEqualTo(new ClientEvent.TrackMuted(track.trackId(), true));
        assertThat(ClientEventTranslator.roomState(new Room.TopologyChanged("mesh", "small")))
                .isEqualTo(new ClientEvent.Custom("topology", Map.of("topology", "mesh", "reason", "small")));
    }

    @Test
    void noticesAreNotRoomStateAndTheOtherWayRound() {
        Room.Event warning = new Room.Warning("code", "message");
        assertThat(ClientEventTranslator.roomState(warning)).isNull();
        assertThat(ClientEventTranslator.notice(warning))
                .isEqualTo(new ClientEvent.Custom("warning", Map.of("code", "code", "message", "message")));
        assertThat(ClientEventTranslator.notice(new Room.TrackUnpublished(new TrackId("t")))).isNull();
        assertThat(ClientEventTranslator.notice(new Room.SubscriptionsChanged(List.of()))).isNull();
        assertThat(ClientEventTranslator.roomState(new Room.SubscriptionsChanged(List.of()))).isNull();
    }

    @Test
    void aMeshSignalsPayloadIsPassedOnAsJson() {
        ParticipantId from = ParticipantId.random();
        ClientEvent.Custom signal = (ClientEvent.Custom) ClientEventTranslator.notice(
                new Room.MeshSignalled(from, "{\"sdp\":\"v=0\"}"));
        assertThat(signal.type()).isEqualTo("mesh-signal");
        assertThat(signal.fields().get("from")).isEqualTo(from.value());
        assertThat(((JsonNode) signal.fields().get("payload")).get("sdp").asText()).isEqualTo("v=0");
    }

    @Test
    void publishLayersPairsEachRidWithWhetherItIsWanted() {
        ClientEvent.Custom event = (ClientEvent.Custom) ClientEventTranslator.publishLayers(
                simulcast(List.of("q", "h", "f")), List.of(true, false));
        assertThat(event.type()).isEqualTo("publish-layers");
        assertThat(event.fields().get("trackId")).isEqualTo("t");
        @SuppressWarnings("unchecked")
        Map<String, Object> layers = (Map<String, Object>) event.fields().get("layers");
        assertThat(layers).containsExactly(Map.entry("q", true), Map.entry("h", false));
    }

    @Test
    void whatARebuiltRoomLostIsToldTracksFirst() {
        ParticipantId lost = ParticipantId.random();
        TrackId track = new TrackId("t");
        assertThat(ClientEventTranslator.gone(new ClientRoster.Gone(List.of(track), List.of(lost)))).containsExactly(
                new ClientEvent.TrackUnpublished(track), new ClientEvent.ParticipantLeft(lost, LeaveReason.NODE_FAILED));
    }

    @Test
    void aResumedJoinedCarriesNoRosterButTheOwnTracksAndTheSameToken() {
        ParticipantInfo info = new ParticipantInfo(ParticipantId.random(), "did:key:z6Mka", "alice", "node-a");
        ResumeToken token = ResumeToken.random();
        Participant.Setup setup = new Participant.Setup(info, new RoomKey("neighbourhood://test", "r"), null, true,
                "join-1", ClientLink.DETACHED, "auto", null,
                new ParticipantSettings(TEN, TEN, TEN), token);
        TrackInfo own = simulcast(List.of());
        ClientEvent.Joined notYet = (ClientEvent.Joined) ClientEventTranslator.resumed("r-1", setup, null, List.of(own));
        assertThat(notYet.topology()).isEqualTo("sfu");
        assertThat(notYet.mode()).isEqualTo("auto");
        assertThat(notYet.tracks()).containsExactly(own);
        assertThat(notYet.participants()).isEmpty();
        assertThat(notYet.resumeToken()).isEqualTo(token.value());

        Room.Accepted accepted = new Room.Accepted(List.of(), List.of(), "mesh", "mesh-first", 0, List.of(),
                List.of());
        ClientEvent.Joined joined = (ClientEvent.Joined) ClientEventTranslator.resumed("r-2", setup, accepted,
                List.of());
        assertThat(joined.requestId()).isEqualTo("r-2");
        assertThat(joined.topology()).isEqualTo("mesh");
        assertThat(joined.mode()).isEqualTo("mesh-first");
    }
}
