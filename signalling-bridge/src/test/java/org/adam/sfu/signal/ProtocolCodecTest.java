package org.adam.sfu.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.adam.sfu.room.ClientEvent;
import org.adam.sfu.room.CodecSpec;
import org.adam.sfu.room.LeaveReason;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.ParticipantInfo;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.room.policy.SfuConfig;
import org.junit.jupiter.api.Test;

class ProtocolCodecTest {

    private final ProtocolCodec codec = new ProtocolCodec();
    private final ObjectMapper json = new ObjectMapper();

    private static void assertError(ThrowingDecode decode, String code, String id) {
        assertThatThrownBy(decode::run).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.requestId()).isEqualTo(id);
        });
    }

    @FunctionalInterface
    private interface ThrowingDecode {
        void run() throws Exception;
    }

    @Test
    void decodesAJoinWithDefaults() throws Exception {
        ClientRequest request = codec.decode("{\"type\":\"join\",\"id\":\"1\",\"neighbourhood\":\"neighbourhood://Qm\","
                + "\"room\":\"standup\",\"did\":\"did:key:z6Mk\",\"name\":\"Alice\",\"extra\":42}");
        assertThat(request).isEqualTo(new ClientRequest.Join("1", "neighbourhood://Qm", "standup", "did:key:z6Mk",
                "Alice", null, true));
    }

    @Test
    void malformedJsonIsBadRequest() {
        assertError(() -> codec.decode("{\"type\":"), ErrorCodes.BAD_REQUEST, null);
        assertError(() -> codec.decode("[1,2]"), ErrorCodes.BAD_REQUEST, null);
        assertError(() -> codec.decode(""), ErrorCodes.BAD_REQUEST, null);
    }

    @Test
    void unknownTypeEchoesTheId() {
        assertError(() -> codec.decode("{\"type\":\"dance\",\"id\":\"7\"}"), ErrorCodes.UNKNOWN_TYPE, "7");
    }

    @Test
    void missingOrWrongKindFieldsAreBadRequest() {
        assertError(() -> codec.decode("{\"type\":\"join\",\"id\":\"2\",\"room\":\"r\",\"did\":\"d\"}"),
                ErrorCodes.BAD_REQUEST, "2");
        assertError(() -> codec.decode("{\"type\":\"join\",\"id\":\"3\",\"neighbourhood\":5,\"room\":\"r\",\"did\":\"d\"}"),
                ErrorCodes.BAD_REQUEST, "3");
        assertError(() -> codec.decode("{\"type\":\"join\",\"id\":\"4\",\"neighbourhood\":\"\",\"room\":\"r\",\"did\":\"d\"}"),
                ErrorCodes.BAD_REQUEST, "4");
        assertError(() -> codec.decode("{\"type\":\"mute\",\"id\":\"5\",\"track\":\"t\",\"muted\":\"yes\"}"),
                ErrorCodes.BAD_REQUEST, "5");
        assertError(() -> codec.decode("{\"type\":\"offer\",\"id\":\"6\",\"pc\":\"sideways\",\"sdp\":\"v=0\"}"),
                ErrorCodes.BAD_REQUEST, "6");
        assertError(() -> codec.decode("{\"type\":\"subscribe\",\"id\":\"8\",\"tracks\":[1]}"),
                ErrorCodes.BAD_REQUEST, "8");
        assertError(() -> codec.decode("{\"type\":7,\"id\":\"9\"}"), ErrorCodes.BAD_REQUEST, "9");
    }

    @Test
    void nonStringIdIsNotEchoed() {
        assertError(() -> codec.decode("{\"type\":\"dance\",\"id\":12}"), ErrorCodes.UNKNOWN_TYPE, null);
    }

    @Test
    void encodesJoinedAsTheProtocolShowsIt() throws Exception {
        ParticipantId me = new ParticipantId("p-1");
        ParticipantId bob = new ParticipantId("p-2");
        TrackInfo track = new TrackInfo(new TrackId("t-1"), bob, "video", "camera", List.of(), false, "1", "n1",
                new CodecSpec(96, "VP8", 90000, 0, "", List.of()), 0);
        String text = codec.encode(new ClientEvent.Joined("1", me, "sfu", "gateway", "n1",
                List.of(new ParticipantInfo(bob, "did:key:z6Mkb", "Bob", "n1")), List.of(track),
                List.of(new SfuConfig.IceServer(List.of("stun:stun.example.org"), null, null))));
        JsonNode joined = json.readTree(text);
        assertThat(joined.get("type").asText()).isEqualTo("joined");
        assertThat(joined.get("id").asText()).isEqualTo("1");
        assertThat(joined.get("participantId").asText()).isEqualTo("p-1");
        assertThat(joined.get("iceServers").get(0).get("urls").get(0).asText()).isEqualTo("stun:stun.example.org");
        assertThat(joined.get("topology").asText()).isEqualTo("sfu");
        assertThat(joined.get("iceServers").isArray()).isTrue();
        assertThat(joined.get("participants").get(0).get("name").asText()).isEqualTo("Bob");
        JsonNode t = joined.get("tracks").get(0);
        assertThat(t.get("trackId").asText()).isEqualTo("t-1");
        assertThat(t.get("participantId").asText()).isEqualTo("p-2");
        assertThat(t.get("kind").asText()).isEqualTo("video");
        assertThat(t.get("source").asText()).isEqualTo("camera");
        assertThat(t.get("layers").isArray()).isTrue();
        assertThat(t.get("muted").asBoolean()).isFalse();
    }

    @Test
    void encodesParticipantLeftWithReason() throws Exception {
        JsonNode left = json.readTree(codec.encode(
                new ClientEvent.ParticipantLeft(new ParticipantId("p-9"), LeaveReason.TIMEOUT)));
        assertThat(left.get("type").asText()).isEqualTo("participant-left");
        assertThat(left.get("reason").asText()).isEqualTo("timeout");
    }

    @Test
    void randomInputNeverEscapesAsAnythingButProtocolException() {
        Random random = new Random(42);
        String[] pieces = {"{", "}", "\"type\"", ":", "\"join\"", ",", "\"id\"", "[", "]", "null", "1", "\"x\"",
                "true", "\"room\"", "\"did\"", "\"neighbourhood\"", "\\u0000", "\"", " "};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int n = random.nextInt(20);
            for (int j = 0; j < n; j++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            try {
                codec.decode(text.toString());
            } catch (ProtocolException expected) {
                assertThat(expected.code()).isIn(ErrorCodes.BAD_REQUEST, ErrorCodes.UNKNOWN_TYPE);
            }
        }
    }
}
