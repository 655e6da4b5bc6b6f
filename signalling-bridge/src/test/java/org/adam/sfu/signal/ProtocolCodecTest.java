package org.adam.sfu.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    void decodesRestartIceForEitherConnectionAndNothingElse() throws Exception {
        assertThat(codec.decode("{\"type\":\"restart-ice\",\"id\":\"5\",\"pc\":\"subscribe\"}"))
                .isEqualTo(new ClientRequest.RestartIce("5", "subscribe"));
        assertThat(codec.decode("{\"type\":\"restart-ice\",\"pc\":\"publish\"}"))
                .isEqualTo(new ClientRequest.RestartIce(null, "publish"));
        assertError(() -> codec.decode("{\"type\":\"restart-ice\",\"id\":\"6\",\"pc\":\"both\"}"),
                ErrorCodes.BAD_REQUEST, "6");
        assertError(() -> codec.decode("{\"type\":\"restart-ice\",\"id\":\"7\"}"), ErrorCodes.BAD_REQUEST, "7");
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

    /** A request of {@code type} with {@code field} set to {@code value} (a JSON literal) and the others valid. */
    private static String request(String type, String field, String value) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", "\"" + type + "\"");
        fields.put("id", "\"r1\"");
        switch (type) {
            case "join" -> {
                fields.put("neighbourhood", "\"neighbourhood://Qm\"");
                fields.put("room", "\"standup\"");
                fields.put("did", "\"did:key:z6Mk\"");
            }
            case "resume" -> fields.put("participantId", "\"p-1\"");
            case "offer", "answer" -> {
                fields.put("pc", "\"publish\"");
                fields.put("sdp", "\"v=0\"");
            }
            case "candidate" -> {
                fields.put("pc", "\"publish\"");
                fields.put("candidate", "\"\"");
            }
            case "subscribe" -> fields.put("tracks", "[]");
            case "set-quality" -> fields.put("quality", "\"low\"");
            case "mute" -> {
                fields.put("track", "\"t-1\"");
                fields.put("muted", "true");
            }
            case "mesh-signal" -> {
                fields.put("to", "\"p-2\"");
                fields.put("payload", "{}");
            }
            default -> throw new IllegalArgumentException(type);
        }
        fields.put(field, value);
        StringBuilder out = new StringBuilder("{");
        fields.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return out.append('}').toString();
    }

    private static String string(int length) {
        return "\"" + "z".repeat(length) + "\"";
    }

    @Test
    void everyFieldOfEveryRequestIsBounded() throws Exception {
        Object[][] bounds = {
                {"join", "neighbourhood", RequestLimits.NEIGHBOURHOOD}, {"join", "room", RequestLimits.ROOM},
                {"join", "did", RequestLimits.DID}, {"join", "name", RequestLimits.NAME},
                {"join", "proof", RequestLimits.PROOF}, {"resume", "participantId", RequestLimits.NODE_ID},
                {"resume", "proof", RequestLimits.PROOF}, {"resume", "resumeToken", RequestLimits.RESUME_TOKEN},
                {"offer", "sdp", RequestLimits.SDP}, {"answer", "sdp", RequestLimits.SDP},
                {"candidate", "candidate", RequestLimits.CANDIDATE}, {"candidate", "sdpMid", RequestLimits.SDP_MID},
                {"set-quality", "track", RequestLimits.NODE_ID}, {"mute", "track", RequestLimits.NODE_ID},
                {"mesh-signal", "to", RequestLimits.NODE_ID}};
        for (Object[] bound : bounds) {
            String type = (String) bound[0];
            String field = (String) bound[1];
            int max = (Integer) bound[2];
            codec.decode(request(type, field, string(max)));
            assertThatThrownBy(() -> codec.decode(request(type, field, string(max + 1))))
                    .as("%s.%s over %s characters", type, field, max)
                    .isInstanceOfSatisfying(ProtocolException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCodes.BAD_REQUEST);
                        assertThat(e.requestId()).isEqualTo("r1");
                        assertThat(e.getMessage()).contains(field);
                    });
        }
        assertError(() -> codec.decode(request("join", "did", string(262_000))), ErrorCodes.BAD_REQUEST, "r1");
        assertError(() -> codec.decode(request("candidate", "sdpMLineIndex", "-1")), ErrorCodes.BAD_REQUEST, "r1");
        assertError(() -> codec.decode(request("offer", "sources", "{\"0\":" + string(17) + "}")),
                ErrorCodes.BAD_REQUEST, "r1");
        assertError(() -> codec.decode(request("offer", "sources", "{" + string(65) + ":\"camera\"}")),
                ErrorCodes.BAD_REQUEST, "r1");
        assertError(() -> codec.decode("{\"type\":" + string(1000) + ",\"id\":\"r1\"}"), ErrorCodes.BAD_REQUEST, "r1");
    }

    @Test
    void anIdTooLongToEchoRefusesTheRequest() {
        assertError(() -> codec.decode("{\"type\":\"ping\",\"id\":" + string(RequestLimits.REQUEST_ID + 1) + "}"),
                ErrorCodes.BAD_REQUEST, null);
    }

    @Test
    void subscribeTakesABoundedListOfBoundedIds() throws Exception {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 100_000; i++) {
            many.append(i == 0 ? "" : ",").append('"').append(i).append('"');
        }
        String tooMany = many.append(']').toString();
        assertError(() -> codec.decode(request("subscribe", "tracks", tooMany)), ErrorCodes.BAD_REQUEST, "r1");
        String limit = "[" + String.join(",", Collections.nCopies(RequestLimits.TRACKS_PER_REQUEST, "\"t-1\"")) + "]";
        assertThat(((ClientRequest.Subscribe) codec.decode(request("subscribe", "tracks", limit))).tracks())
                .hasSize(RequestLimits.TRACKS_PER_REQUEST);
        assertError(() -> codec.decode(request("subscribe", "tracks", "[" + string(RequestLimits.NODE_ID + 1) + "]")),
                ErrorCodes.BAD_REQUEST, "r1");
    }

    @Test
    void decodesAResumeWithItsToken() throws Exception {
        assertThat(codec.decode("{\"type\":\"resume\",\"id\":\"2\",\"participantId\":\"p-1\",\"resumeToken\":\"abc\"}"))
                .isEqualTo(new ClientRequest.Resume("2", "p-1", null, "abc", null));
    }

    @Test
    void aResumeSaysTheLastEventItGotAndRoomEventsCarryTheirNumber() throws Exception {
        assertThat(codec.decode("{\"type\":\"resume\",\"participantId\":\"p-1\",\"resumeToken\":\"abc\",\"lastSeq\":7}"))
                .isEqualTo(new ClientRequest.Resume(null, "p-1", null, "abc", 7));
        assertError(() -> codec.decode("{\"type\":\"resume\",\"id\":\"r\",\"participantId\":\"p-1\",\"lastSeq\":-1}"),
                ErrorCodes.BAD_REQUEST, "r");
        assertError(() -> codec.decode("{\"type\":\"resume\",\"id\":\"r\",\"participantId\":\"p-1\",\"lastSeq\":\"7\"}"),
                ErrorCodes.BAD_REQUEST, "r");
        assertThat(codec.encode(new ClientEvent.Sequenced(8, new ClientEvent.TrackUnpublished(new TrackId("t-1")))))
                .isEqualTo("{\"type\":\"track-unpublished\",\"trackId\":\"t-1\",\"seq\":8}");
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
                List.of(new SfuConfig.IceServer(List.of("stun:stun.example.org"), null, null)), "secret-token"));
        JsonNode joined = json.readTree(text);
        assertThat(joined.get("type").asText()).isEqualTo("joined");
        assertThat(joined.get("id").asText()).isEqualTo("1");
        assertThat(joined.get("participantId").asText()).isEqualTo("p-1");
        assertThat(joined.get("resumeToken").asText()).isEqualTo("secret-token");
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
