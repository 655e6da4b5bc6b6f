package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input while a call runs (issue: single-node SFU, test 4): every malformed request gets its
 * protocol error, garbage on the media port is dropped, the node stays up, and the running call
 * keeps decoding new frames.
 */
class BadInputTest {

    private static TestRig rig;
    private static NodeProcess node;
    private static BrowserPage alice;
    private static BrowserPage bob;

    @BeforeAll
    static void startCall() throws Exception {
        rig = TestRig.single("badinput", 18090, 41010);
        node = rig.node();
        alice = rig.browser().open("steady-alice", SingleNodeCallTest.roomUrl(node, "steady", "alice"));
        bob = rig.browser().open("steady-bob", SingleNodeCallTest.roomUrl(node, "steady", "bob"));
        alice.awaitState("joined", Duration.ofSeconds(20));
        bob.awaitState("joined", Duration.ofSeconds(20));
        String bobId = bob.participantId();
        alice.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(bobId), 30), Duration.ofSeconds(40));
    }

    @AfterAll
    static void stop() throws Exception {
        TestRig.close(rig);
    }

    private static long videoFramesAliceDecoded() throws Exception {
        return alice.inbound().stream().filter(s -> s.kind().equals("video"))
                .mapToLong(BrowserPage.Inbound::framesDecoded).max().orElse(0);
    }

    private static void assertCallStillDecodes(long framesBefore) throws Exception {
        assertThat(node.isAlive()).isTrue();
        alice.awaitInbound(s -> s.stream().anyMatch(i -> i.kind().equals("video") && i.framesDecoded() > framesBefore + 30),
                Duration.ofSeconds(15));
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(node.url("/healthz"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    private static void assertError(JsonNode frame, String code, String id) {
        assertThat(frame.path("type").asText()).as("frame %s", frame).isEqualTo("error");
        assertThat(frame.path("code").asText()).as("frame %s", frame).isEqualTo(code);
        if (id != null) {
            assertThat(frame.path("id").asText()).as("frame %s", frame).isEqualTo(id);
        }
        assertThat(frame.path("message").asText()).isNotBlank();
    }

    @Test
    void malformedSignallingGetsProtocolErrorsAndTheCallGoesOn() throws Exception {
        long before = videoFramesAliceDecoded();
        try (SignalClient client = SignalClient.connect(node.signalUrl())) {
            assertThat(client.next().path("type").asText()).isEqualTo("hello");

            client.send("{\"type\": \"join\", ");
            assertError(client.next(), "bad-request", null);
            client.send("[1, 2, 3]");
            assertError(client.next(), "bad-request", null);
            client.send("{\"type\":\"moonwalk\",\"id\":\"u1\"}");
            assertError(client.next(), "unknown-type", "u1");
            client.send("{\"type\":\"join\",\"id\":\"j1\",\"room\":\"r\",\"did\":\"did:key:z6Mk\"}");
            assertError(client.next(), "bad-request", "j1");
            client.send("{\"type\":\"join\",\"id\":\"j2\",\"neighbourhood\":42,\"room\":\"r\",\"did\":\"d\"}");
            assertError(client.next(), "bad-request", "j2");
            client.send("{\"type\":\"join\",\"id\":\"j3\",\"neighbourhood\":\"n\",\"room\":[],\"did\":\"d\"}");
            assertError(client.next(), "bad-request", "j3");
            client.send("{\"type\":\"offer\",\"id\":\"o0\",\"pc\":\"publish\",\"sdp\":\"v=0\"}");
            assertError(client.next(), "not-joined", "o0");
            client.sendBinary(new byte[] {1, 2, 3});
            assertError(client.next(), "bad-request", null);

            // A frame over 256 KiB is refused from its header: too-large, then the socket closes (1009).
            try (SignalClient big = SignalClient.connect(node.signalUrl())) {
                assertThat(big.next().path("type").asText()).isEqualTo("hello");
                String huge = "{\"type\":\"ping\",\"id\":\"big\",\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}";
                try {
                    big.send(huge);
                } catch (java.util.concurrent.ExecutionException closedWhileSending) {
                    // the node closed the socket before the whole frame was out
                }
                assertError(big.next(), "too-large", null);
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (!big.isClosed() && System.nanoTime() < deadline) {
                    Thread.sleep(50); // poll interval inside a bounded wait
                }
                assertThat(big.isClosed()).as("socket closed after a too-large frame").isTrue();
            }
            client.send("{\"type\":\"ping\",\"id\":\"p1\"}");
            JsonNode pong = client.next();
            assertThat(pong.path("type").asText()).isEqualTo("pong");
            assertThat(pong.path("id").asText()).isEqualTo("p1");

            client.send("{\"type\":\"join\",\"id\":\"j4\",\"neighbourhood\":\"neighbourhood://test\","
                    + "\"room\":\"bad-sdp\",\"did\":\"did:key:z6MkBad\",\"name\":\"mallory\"}");
            assertThat(client.next("joined").path("id").asText()).isEqualTo("j4");
            String noUsableCodec = String.join("\r\n",
                    "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
                    "m=video 9 UDP/TLS/RTP/SAVPF 120", "c=IN IP4 0.0.0.0", "a=mid:0", "a=sendonly", "a=rtcp-mux",
                    "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
                    "a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
                    "a=setup:actpass", "a=rtpmap:120 MADEUP/90000", "") ;
            client.send("{\"type\":\"offer\",\"id\":\"o1\",\"pc\":\"publish\",\"sdp\":" + quote(noUsableCodec) + "}");
            assertError(client.next("error"), "bad-request", "o1");
            client.send("{\"type\":\"offer\",\"id\":\"o2\",\"pc\":\"publish\",\"sdp\":\"this is not sdp\"}");
            assertError(client.next("error"), "bad-request", "o2");
            client.send("{\"type\":\"answer\",\"id\":\"a1\",\"pc\":\"subscribe\",\"sdp\":\"v=0\"}");
            assertError(client.next("error"), "bad-request", "a1");
            assertThat(client.isClosed()).isFalse();
        }
        assertCallStillDecodes(before);
    }

    @Test
    void garbageDatagramsOfEveryClassAreDroppedAndTheCallGoesOn() throws Exception {
        long before = videoFramesAliceDecoded();
        Random random = new Random(7);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket socket = new DatagramSocket(0, loopback)) {
            int[][] classes = {{0, 3}, {20, 63}, {128, 191}, {64, 127}, {192, 255}, {4, 19}};
            for (int round = 0; round < 300; round++) {
                for (int[] range : classes) {
                    byte[] garbage = new byte[1 + random.nextInt(1400)];
                    random.nextBytes(garbage);
                    garbage[0] = (byte) (range[0] + random.nextInt(range[1] - range[0] + 1));
                    send(socket, garbage, loopback);
                }
                send(socket, stunLookalike(random), loopback);
                send(socket, rtcpLookalike(random), loopback);
            }
            send(socket, new byte[0], loopback);
            send(socket, new byte[1], loopback);
        }
        assertCallStillDecodes(before);
        // Every class of garbage was dropped and counted, and the call is visible in the metrics.
        for (String reason : List.of("unknown_class", "stun", "unknown_sender")) {
            assertThat(node.metric("sfu_datagrams_dropped_total{node=\"badinput\",reason=\"" + reason + "\"}"))
                    .as("dropped %s", reason).isPositive();
        }
        assertThat(node.metric("sfu_participants{node=\"badinput\"}")).isGreaterThanOrEqualTo(2.0);
        assertThat(node.metric("sfu_rtp_forwarded_packets_total{node=\"badinput\"}")).isPositive();
    }

    private static void send(DatagramSocket socket, byte[] data, InetAddress to) throws Exception {
        socket.send(new DatagramPacket(data, data.length, to, node.mediaPort()));
    }

    /** A well-formed STUN binding request for a username nobody has, with a random integrity. */
    private static byte[] stunLookalike(Random random) {
        byte[] user = ("nobody" + random.nextInt(1000) + ":x").getBytes(StandardCharsets.US_ASCII);
        int userPadded = (user.length + 3) & ~3;
        byte[] out = new byte[20 + 4 + userPadded + 24];
        out[1] = 0x01;
        int length = out.length - 20;
        out[2] = (byte) (length >> 8);
        out[3] = (byte) length;
        out[4] = 0x21;
        out[5] = 0x12;
        out[6] = (byte) 0xA4;
        out[7] = 0x42;
        for (int i = 8; i < 20; i++) {
            out[i] = (byte) random.nextInt();
        }
        out[21] = 0x06;
        out[23] = (byte) user.length;
        System.arraycopy(user, 0, out, 24, user.length);
        int mi = 24 + userPadded;
        out[mi + 1] = 0x08;
        out[mi + 3] = 20;
        for (int i = mi + 4; i < out.length; i++) {
            out[i] = (byte) random.nextInt();
        }
        return out;
    }

    /** Looks like an SRTCP receiver report (version 2, type 201) but was never encrypted. */
    private static byte[] rtcpLookalike(Random random) {
        byte[] out = new byte[8 + 24 + 14];
        random.nextBytes(out);
        out[0] = (byte) 0x81;
        out[1] = (byte) 201;
        out[2] = 0;
        out[3] = 7;
        return out;
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }
}
