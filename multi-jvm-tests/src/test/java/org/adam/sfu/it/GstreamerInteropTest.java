package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GStreamer 1.22 webrtcbin clients (src/test/clients/gst_client.py) in calls through the node,
 * each asserting on frames it DECODED: two of them calling each other, a late joiner that never
 * asks for a keyframe, a room shared with an aiortc client (Opus and VP8 both on payload type 96
 * in the publishers' offers, one numbering per bundle towards each receiver), and a call across a
 * two-node cascade.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(InteropRecorder.class)
class GstreamerInteropTest {

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private static NodeProcess node;
    private static final List<ExternalClient> clients = new ArrayList<>();
    /** The two clients of the pair call, which the late-join test joins. */
    private static ExternalClient alice;
    private static ExternalClient bob;

    @BeforeAll
    static void startNode() throws Exception {
        node = NodeProcess.start("gst", 19640, 42640);
    }

    @AfterAll
    static void stop() throws Exception {
        closeAll(clients);
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    @InteropCell(stack = "gstreamer", cell = "two-way", bundlePolicy = "max-compat")
    void twoGstreamerClientsDecodeEachOther() throws Exception {
        startPair();
        String aId = alice.participantId();
        String bId = bob.participantId();
        double aVideo = alice.awaitFirstVideoFrom(bId, CALL_TIMEOUT);
        double bVideo = bob.awaitFirstVideoFrom(aId, CALL_TIMEOUT);
        double aAudio = alice.awaitFirstFrameFrom(bId, "audio", CALL_TIMEOUT);
        double bAudio = bob.awaitFirstFrameFrom(aId, "audio", CALL_TIMEOUT);
        System.out.printf("gstreamer pair: alice decodes bob video %.3f s, audio %.3f s after joined;"
                + " bob decodes alice video %.3f s, audio %.3f s%n", aVideo, aAudio, bVideo, bAudio);
        awaitSteady(alice, bob);
        awaitSteady(bob, alice);
    }

    @Test
    @Order(2)
    @InteropCell(stack = "gstreamer", cell = "late-join")
    @InteropCell(stack = "gstreamer", cell = "no-pli")
    void lateGstreamerJoinerWithoutPliDecodesBothPublishers() throws Exception {
        if (alice == null) {
            startPair();
        }
        // A second of video each way first, so the late joiner comes well after the publishers'
        // first keyframes (their encoders make further ones only when asked).
        awaitSteady(alice, bob);
        awaitSteady(bob, alice);
        List<Long> requestsBefore = LateJoin.keyframeRequests(List.of(alice, bob));
        ExternalClient carol = gstreamer("carol", node, "gst-pair", "--no-pli", "--publish", "none");
        carol.awaitJoined(JOIN_TIMEOUT);
        LateJoin.assertDecodesEveryone(carol, List.of(alice, bob), "gstreamer", "one node", requestsBefore);
    }

    @Test
    @Order(3)
    @InteropCell(stack = "gstreamer", cell = "mixed-room")
    @InteropCell(stack = "aiortc", cell = "mixed-room")
    @InteropCell(stack = "gstreamer", cell = "leave")
    void gstreamerAndAiortcDecodeEachOther() throws Exception {
        String room = "gst-mixed";
        ExternalClient gst = gstreamer("gst-mixed", node, room);
        ExternalClient aio = track(ExternalClient.python("aiortc_client.py", "aiortc-mixed", node.signalUrl(), room));
        String gstId = gst.awaitJoined(JOIN_TIMEOUT);
        String aioId = aio.awaitJoined(JOIN_TIMEOUT);
        double gstVideo = gst.awaitFirstVideoFrom(aioId, CALL_TIMEOUT);
        double gstAudio = gst.awaitFirstFrameFrom(aioId, "audio", CALL_TIMEOUT);
        double aioVideo = aio.awaitFirstVideoFrom(gstId, CALL_TIMEOUT);
        double aioAudio = aio.awaitFirstFrameFrom(gstId, "audio", CALL_TIMEOUT);
        System.out.printf("mixed: gstreamer decodes aiortc video %.3f s, audio %.3f s after joined;"
                + " aiortc decodes gstreamer video %.3f s, audio %.3f s%n", gstVideo, gstAudio, aioVideo, aioAudio);
        awaitSteady(gst, aio);
        awaitSteady(aio, gst);
        gst.leave();
        aio.awaitParticipantLeft(gstId, CALL_TIMEOUT);
        aio.leave();
    }

    /**
     * With max-bundle webrtcbin offers its second m-line with port 0 and a=bundle-only (RFC 8843 6:
     * bundled, not rejected): both its audio and video must be published and decoded.
     */
    @Test
    @Order(4)
    @InteropCell(stack = "gstreamer", cell = "two-way", bundlePolicy = "max-bundle")
    void maxBundlePublisherIsDecoded() throws Exception {
        String room = "gst-max-bundle";
        ExternalClient publisher = gstreamer("gst-max-bundle", node, room, "--bundle-policy", "max-bundle");
        ExternalClient receiver = gstreamer("gst-max-bundle-receiver", node, room, "--publish", "none");
        String publisherId = publisher.awaitJoined(JOIN_TIMEOUT);
        receiver.awaitJoined(JOIN_TIMEOUT);
        double video = receiver.awaitFirstVideoFrom(publisherId, CALL_TIMEOUT);
        double audio = receiver.awaitFirstFrameFrom(publisherId, "audio", CALL_TIMEOUT);
        System.out.printf("max-bundle gstreamer publisher: decoded video %.3f s, audio %.3f s after joined%n",
                video, audio);
        awaitSteady(receiver, publisher);
        publisher.leave();
        receiver.leave();
    }

    @Test
    @Order(5)
    @InteropCell(stack = "gstreamer", cell = "cascade")
    void gstreamerClientsDecodeEachOtherAcrossACascade() throws Exception {
        // The single node is not needed any more; two node JVMs and their clients share 2 cores.
        closeAll(clients);
        List<ExternalClient> mine = new ArrayList<>();
        try (NodeCluster cluster = NodeCluster.start(19660, List.of("gst1", "gst2"))) {
            try {
                String room = "gst-cascade";
                ExternalClient one = ExternalClient.python("gst_client.py", "gst-node1", cluster.node(0).signalUrl(), room);
                mine.add(one);
                ExternalClient two = ExternalClient.python("gst_client.py", "gst-node2-nopli", cluster.node(1).signalUrl(), room,
                        "--no-pli");
                mine.add(two);
                String oneId = one.awaitJoined(JOIN_TIMEOUT);
                String twoId = two.awaitJoined(JOIN_TIMEOUT);
                double oneVideo = one.awaitFirstVideoFrom(twoId, CALL_TIMEOUT);
                double oneAudio = one.awaitFirstFrameFrom(twoId, "audio", CALL_TIMEOUT);
                double twoVideo = two.awaitFirstVideoFrom(oneId, CALL_TIMEOUT);
                double twoAudio = two.awaitFirstFrameFrom(oneId, "audio", CALL_TIMEOUT);
                System.out.printf("cascade: node-1 client decodes node-2 video %.3f s, audio %.3f s after joined;"
                        + " node-2 client (no PLI) decodes node-1 video %.3f s, audio %.3f s%n",
                        oneVideo, oneAudio, twoVideo, twoAudio);
                awaitSteady(one, two);
                awaitSteady(two, one);
            } finally {
                closeAll(mine);
            }
        }
    }

    private static void startPair() throws Exception {
        alice = gstreamer("gst-alice", node, "gst-pair");
        bob = gstreamer("gst-bob", node, "gst-pair");
        alice.awaitJoined(JOIN_TIMEOUT);
        bob.awaitJoined(JOIN_TIMEOUT);
    }

    /** {@code receiver} has decoded a second of {@code publisher}'s video and some of its audio. */
    private static void awaitSteady(ExternalClient receiver, ExternalClient publisher) throws InterruptedException {
        receiver.awaitVideoFramesFrom(publisher.participantId(), 30, CALL_TIMEOUT);
        assertThat(receiver.audioFramesFrom(publisher.participantId()))
                .as("%s decodes %s's audio", receiver.name(), publisher.name()).isPositive();
    }

    private static ExternalClient gstreamer(String name, NodeProcess on, String room, String... options)
            throws Exception {
        return track(ExternalClient.python("gst_client.py", name, on.signalUrl(), room, options));
    }

    private static ExternalClient track(ExternalClient client) {
        clients.add(client);
        return client;
    }

    /** The command running {@code script} of src/test/clients with /usr/bin/python3. */

    private static void closeAll(List<ExternalClient> started) throws InterruptedException {
        for (ExternalClient client : started) {
            client.close();
        }
        started.clear();
    }

}
