package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two more WebRTC stacks against the node, both on Node.js (src/test/clients/node): libwebrtc
 * through @roamhq/wrtc, which encodes and decodes itself, and werift, a WebRTC stack in
 * TypeScript without codecs, whose media is encoded and decoded by GStreamer (vp8enc/vp8dec,
 * opusenc/opusdec). Every assertion is on frames a real decoder produced.
 *
 * <p>Per stack: two clients call each other, then a late joiner that never asks for a keyframe
 * decodes every publisher's video within 2 s of `joined`. Then a room mixing the two stacks, on
 * one node and across a two-node cascade.
 */
@ExtendWith(InteropRecorder.class)
class NodeStacksInteropTest {

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    enum Stack {
        WRTC("wrtc-client.mjs", "wrtc"), WERIFT("werift-client.mjs", "werift");

        final String script;
        /** As the interop matrix names it ({@link StackVersions}). */
        final String stackName;

        Stack(String script, String stackName) {
            this.script = script;
            this.stackName = stackName;
        }
    }

    private static NodeProcess node;

    @BeforeAll
    static void startNode() throws Exception {
        Path modules = clientsDir().resolve("node_modules");
        if (!Files.isDirectory(modules.resolve("@roamhq/wrtc")) || !Files.isDirectory(modules.resolve("werift"))) {
            throw new IllegalStateException("the Node clients' packages are not installed: run `npm ci` in "
                    + clientsDir() + " (scripts/test.sh does)");
        }
        node = NodeProcess.start("stacks", 19720, 42720);
    }

    @AfterAll
    static void stopNode() throws InterruptedException {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @InteropCell(stack = "wrtc", cell = "two-way", bundlePolicy = "balanced")
    @InteropCell(stack = "wrtc", cell = "late-join")
    void wrtcClientsCallEachOtherAndALateJoinerDecodesEveryone() throws Exception {
        pairThenLateJoiner(Stack.WRTC);
    }

    @Test
    @InteropCell(stack = "werift", cell = "two-way", bundlePolicy = "max-bundle")
    @InteropCell(stack = "werift", cell = "late-join")
    @InteropCell(stack = "werift", cell = "no-pli")
    void weriftClientsCallEachOtherAndALateJoinerDecodesEveryone() throws Exception {
        pairThenLateJoiner(Stack.WERIFT);
    }

    @Test
    @InteropCell(stack = "wrtc", cell = "mixed-room")
    @InteropCell(stack = "werift", cell = "mixed-room")
    @InteropCell(stack = "wrtc", cell = "leave")
    @InteropCell(stack = "werift", cell = "leave")
    void wrtcAndWeriftDecodeEachOther() throws Exception {
        try (ExternalClients clients = new ExternalClients()) {
            ExternalClient a = start(clients, Stack.WRTC, "mixed-wrtc", node, "mixed");
            ExternalClient b = start(clients, Stack.WERIFT, "mixed-werift", node, "mixed");
            String aId = a.awaitJoined(JOIN_TIMEOUT);
            String bId = b.awaitJoined(JOIN_TIMEOUT);
            assertCallBothWays("mixed room, one node", a, b);
            // Each leaves in turn; the other is told.
            a.leave();
            b.awaitParticipantLeft(aId, CALL_TIMEOUT);
            ExternalClient c = start(clients, Stack.WRTC, "mixed-wrtc-2", node, "mixed");
            c.awaitJoined(JOIN_TIMEOUT);
            b.leave();
            c.awaitParticipantLeft(bId, CALL_TIMEOUT);
        }
    }

    @Test
    @InteropCell(stack = "wrtc", cell = "cascade")
    @InteropCell(stack = "werift", cell = "cascade")
    void wrtcAndWeriftDecodeEachOtherAcrossACascade() throws Exception {
        try (NodeCluster cluster = NodeCluster.start(19730, List.of("stacks1", "stacks2"));
                ExternalClients clients = new ExternalClients()) {
            ExternalClient a = start(clients, Stack.WRTC, "cascade-wrtc", cluster.node(0), "stacks-cascade");
            a.awaitJoined(JOIN_TIMEOUT);
            ExternalClient b = start(clients, Stack.WERIFT, "cascade-werift", cluster.node(1), "stacks-cascade");
            b.awaitJoined(JOIN_TIMEOUT);
            assertCallBothWays("mixed room, wrtc on node 1, werift on node 2", a, b);
        }
    }

    private static void pairThenLateJoiner(Stack stack) throws Exception {
        String room = stack.name().toLowerCase() + "-room";
        String prefix = stack.name().toLowerCase() + "-";
        try (ExternalClients clients = new ExternalClients()) {
            ExternalClient a = start(clients, stack, prefix + "alice", node, room);
            ExternalClient b = start(clients, stack, prefix + "bob", node, room);
            a.awaitJoined(JOIN_TIMEOUT);
            b.awaitJoined(JOIN_TIMEOUT);
            assertCallBothWays(stack + " pair", a, b);

            List<Long> requestsBefore = LateJoin.keyframeRequests(List.of(a, b));
            ExternalClient late = start(clients, stack, prefix + "carol", node, room, "--no-pli");
            String lateId = late.awaitJoined(JOIN_TIMEOUT);
            System.out.println(late.name() + " connected " + connectedSinceJoined(late) + " after joined");
            LateJoin.assertDecodesEveryone(late, List.of(a, b), stack.stackName, stack + " late joiner",
                    requestsBefore);
            // It goes on decoding both, and never asked for a keyframe.
            late.awaitVideoFramesFrom(a.participantId(), 30, CALL_TIMEOUT);
            late.awaitVideoFramesFrom(b.participantId(), 30, CALL_TIMEOUT);
            assertThat(lastFrames(late).path("plisSent").asLong()).as("PLIs sent by " + late.name()).isZero();
            assertThat(lastFrames(late).path("firsSent").asLong()).as("FIRs sent by " + late.name()).isZero();
            // And those already in the call decode the late joiner.
            assertThat(a.awaitFirstVideoFrom(lateId, CALL_TIMEOUT)).isPositive();
            assertThat(b.awaitFirstVideoFrom(lateId, CALL_TIMEOUT)).isPositive();
        }
    }

    /**
     * Each client decodes the other's video and audio, and keeps decoding video (a second's worth,
     * so later joiners come well after the first keyframes).
     */
    private static void assertCallBothWays(String where, ExternalClient a, ExternalClient b)
            throws InterruptedException {
        String aId = a.participantId();
        String bId = b.participantId();
        double aVideo = a.awaitFirstVideoFrom(bId, CALL_TIMEOUT);
        double bVideo = b.awaitFirstVideoFrom(aId, CALL_TIMEOUT);
        double aAudio = a.awaitFirstFrameFrom(bId, "audio", CALL_TIMEOUT);
        double bAudio = b.awaitFirstFrameFrom(aId, "audio", CALL_TIMEOUT);
        a.awaitVideoFramesFrom(bId, 30, CALL_TIMEOUT);
        b.awaitVideoFramesFrom(aId, 30, CALL_TIMEOUT);
        System.out.printf("%s: %s decodes %s's video %.3f s and audio %.3f s after its joined; %s decodes %s's"
                + " video %.3f s and audio %.3f s%n", where, a.name(), b.name(), aVideo, aAudio, b.name(), a.name(),
                bVideo, bAudio);
        assertThat(a.audioFramesFrom(bId)).as(a.name() + " audio frames from " + b.name()).isPositive();
        assertThat(b.audioFramesFrom(aId)).as(b.name() + " audio frames from " + a.name()).isPositive();
    }

    /** When the client's subscribe connection came up, in seconds after its `joined`. */
    private static String connectedSinceJoined(ExternalClient client) {
        double joined = Double.NaN;
        for (JsonNode event : client.events()) {
            String type = event.path("event").asText();
            if (type.equals("joined")) {
                joined = event.path("t").asDouble();
            } else if (type.equals("connection") && event.path("pc").asText().equals("subscribe")
                    && event.path("state").asText().equals("connected")) {
                return String.format("subscribe %.3f s", event.path("t").asDouble() - joined);
            }
        }
        return "subscribe not yet";
    }

    private static JsonNode lastFrames(ExternalClient client) {
        List<JsonNode> events = client.events();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).path("event").asText().equals("frames")) {
                return events.get(i);
            }
        }
        throw new AssertionError(client.name() + " reported no frame counts");
    }

    private static Path clientsDir() {
        return Path.of(System.getProperty("sfu.clients.dir", "src/test/clients"), "node").toAbsolutePath();
    }

    private static ExternalClient start(ExternalClients clients, Stack stack, String name, NodeProcess node,
                                        String room, String... options) throws Exception {
        return clients.add(ExternalClient.node(stack.script, name, node.signalUrl(), room, options));
    }
}
