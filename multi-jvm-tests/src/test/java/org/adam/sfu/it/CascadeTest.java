package org.adam.sfu.it;

import static org.adam.sfu.it.BrowserPage.videoWidth;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three real node JVMs in one cluster with Chromium participants spread over them (issue:
 * cascaded mode, tests 1 to 4).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(InteropRecorder.class)
class CascadeTest {

    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(45);
    private static TestRig rig;
    private static NodeCluster cluster;
    private static BrowserDriver browser;

    @BeforeAll
    static void start() throws Exception {
        rig = TestRig.cluster(18300, List.of("a", "b", "c"), NodeCluster.TOLERANT_FAILURE_DETECTOR);
        cluster = rig.cluster();
        browser = rig.browser();
    }

    @AfterAll
    static void stop() throws Exception {
        TestRig.close(rig);
    }

    private static String url(NodeProcess node, String room, String name, String extra) {
        return SingleNodeCallTest.roomUrl(node, room, name) + extra;
    }

    @Test
    @Order(1)
    void threeNodesFormOneClusterSeenFromEveryNode() throws Exception {
        for (NodeProcess node : cluster.nodes()) {
            JsonNode state = NodeCluster.get(node, "/admin/cluster");
            List<String> up = new ArrayList<>();
            state.path("members").forEach(m -> {
                if (m.path("status").asText().equals("Up")) {
                    up.add(m.path("node").asText());
                }
            });
            assertThat(up).as("members seen by %s", node.nodeId()).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(state.path("leader").asText()).isIn("a", "b", "c");
            assertThat(state.path("unreachable")).isEmpty();
        }
        // Each node's sfu-announce reaches the others within an announce interval or two.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode nodes = NodeCluster.get(cluster.node(0), "/admin/nodes");
        while (nodes.path("nodes").size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            nodes = NodeCluster.get(cluster.node(0), "/admin/nodes");
        }
        assertThat(nodes.path("nodes").size()).isEqualTo(3);
        for (JsonNode announce : nodes.path("nodes")) {
            assertThat(announce.path("type").asText()).isEqualTo("sfu-announce");
            assertThat(announce.path("capacity_hint").asInt()).isPositive();
            assertThat(announce.path("signal_url").asText()).startsWith("ws://127.0.0.1:");
        }
    }

    @Test
    @Order(2)
    @InteropCell(stack = "chromium", cell = "cascade")
    void everyoneDecodesEveryoneAcrossThreeNodes() throws Exception {
        String room = "across";
        List<BrowserPage> pages = new ArrayList<>();
        Map<BrowserPage, String> ids = new HashMap<>();
        String[] names = {"alice", "bob", "carol"};
        for (int i = 0; i < 3; i++) {
            BrowserPage page = browser.open(room + "-" + names[i], url(cluster.node(i), room, names[i], ""));
            page.awaitState("joined", Duration.ofSeconds(20));
            pages.add(page);
            ids.put(page, page.participantId());
        }
        for (BrowserPage page : pages) {
            List<String> others = pages.stream().filter(p -> p != page).map(ids::get).toList();
            page.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, others, 60), MEDIA_TIMEOUT);
        }
        JsonNode detail = NodeCluster.roomDetail(cluster.node(1), NodeCluster.roomId(cluster.node(0), room));
        assertThat(detail.path("participantsByNode").size()).as("room detail %s", detail).isEqualTo(3);
        assertThat(detail.path("host").asText()).isIn("a", "b", "c");
        for (BrowserPage page : pages) {
            page.close();
        }
    }

    @Test
    @Order(3)
    void onlySubscribedTracksCrossAndEachCrossesOnce() throws Exception {
        String room = "selective";
        BrowserPage publisher = browser.open("sel-pub", url(cluster.node(0), room, "pub", ""));
        publisher.awaitState("joined", Duration.ofSeconds(20));
        String publisherId = publisher.participantId();
        List<BrowserPage> onB = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            BrowserPage receiver = browser.open("sel-b" + i, url(cluster.node(1), room, "b" + i, "&publish=0"));
            receiver.awaitState("joined", Duration.ofSeconds(20));
            onB.add(receiver);
        }
        BrowserPage onC = browser.open("sel-c", url(cluster.node(2), room, "c", "&publish=0&autoSubscribe=0"));
        onC.awaitState("joined", Duration.ofSeconds(20));
        for (BrowserPage receiver : onB) {
            receiver.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(publisherId), 30), MEDIA_TIMEOUT);
        }
        Thread.sleep(3000); // an observation window: a pipe wrongly opened to C would carry media in it
        String roomId = NodeCluster.roomId(cluster.node(0), room);

        // Nobody on C receives anything from A: no media crosses A-C.
        List<JsonNode> pipes = pipes(roomId);
        assertThat(bytesBetween(pipes, "a", "c")).isZero();

        // A's video crosses A->B once, however many receivers B has. Compared over the same window,
        // since B's receivers joined one after another and the pipe has counted since the first.
        String videoTrack = trackOf(publisher, "video");
        long pipeBefore = pipeBytes(pipes, "a", "b", videoTrack, "out");
        long receiversBefore = videoBytes(onB);
        Thread.sleep(4000); // the measurement window of pipe and receiver bytes
        List<JsonNode> window = pipes(roomId);
        long pipeVideoBytes = pipeBytes(window, "a", "b", videoTrack, "out") - pipeBefore;
        long receiverVideoBytes = videoBytes(onB) - receiversBefore;
        double ratio = pipeVideoBytes / (receiverVideoBytes / 5.0);
        System.out.printf("over 4 s: pipe A->B video bytes %d, receivers on B %d in total (%.2f x one receiver)%n",
                pipeVideoBytes, receiverVideoBytes, ratio);
        assertThat(outCounters(pipes, "a", "b").stream().filter(t -> t.equals(videoTrack)).count()).isEqualTo(1);
        assertThat(ratio).isBetween(0.7, 1.4);

        // Subscribing one track on C makes exactly that track cross A->C.
        onC.eval("window.sfu.subscribe(['" + videoTrack + "'])");
        onC.awaitInbound(s -> s.stream().anyMatch(i -> i.kind().equals("video") && i.framesDecoded() > 10),
                MEDIA_TIMEOUT);
        List<JsonNode> after = pipes(roomId);
        assertThat(outCounters(after, "a", "c")).containsExactly(videoTrack);
        // Every node reports its side of each pipe: the admin view is the whole cluster's.
        assertThat(after).extracting(p -> p.path("localNode").asText()).contains("a", "b", "c");
        assertThat(pipeBytes(after, "b", "a", videoTrack, "in")).isPositive();
        assertThat(pipeBytes(after, "a", "c", videoTrack, "out")).isPositive();
        assertNoEcho(after);

        publisher.close();
        onC.close();
        for (BrowserPage receiver : onB) {
            receiver.close();
        }
    }

    /**
     * A simulcast track crosses a pipe only in the layers the far node's receivers need: a receiver
     * on B on `low` gets the low layer and the A->B pipe carries just that, while C takes the top.
     */
    @Test
    @Order(5)
    void pipesCarryOnlyTheLayersTheFarReceiversNeed() throws Exception {
        String room = "layers";
        BrowserPage publisher = browser.open("lay-pub", url(cluster.node(0), room, "pub", "&simulcast=1"));
        publisher.awaitState("joined", Duration.ofSeconds(20));
        String publisherId = publisher.participantId();
        BrowserPage low = browser.open("lay-b", url(cluster.node(1), room, "b", "&publish=0&quality=low"));
        BrowserPage high = browser.open("lay-c", url(cluster.node(2), room, "c", "&publish=0&quality=high"));
        for (BrowserPage receiver : List.of(low, high)) {
            receiver.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(publisherId), 30), MEDIA_TIMEOUT);
        }
        high.awaitInbound(s -> videoWidth(s) >= 640, Duration.ofSeconds(60));
        String videoTrack = trackOf(publisher, "video");
        String roomId = NodeCluster.roomId(cluster.node(0), room);
        List<JsonNode> before = pipes(roomId);
        Thread.sleep(4000); // the measurement window of each pipe's rate
        List<JsonNode> after = pipes(roomId);
        double toB = (pipeBytes(after, "a", "b", videoTrack, "out") - pipeBytes(before, "a", "b", videoTrack, "out"))
                * 8 / 4.0 / 1000;
        double toC = (pipeBytes(after, "a", "c", videoTrack, "out") - pipeBytes(before, "a", "c", videoTrack, "out"))
                * 8 / 4.0 / 1000;
        System.out.printf("pipe layers: A->B (receiver on low, %d px) %.0f kbit/s, A->C (receiver on high, %d px)"
                + " %.0f kbit/s%n", videoWidth(low.inbound()), toB, videoWidth(high.inbound()), toC);
        assertThat(videoWidth(low.inbound())).isBetween(1, 400);
        assertThat(toB).as("only the low layer crosses to B").isPositive().isLessThan(toC / 2);

        publisher.close();
        low.close();
        high.close();
    }

    /** No track is ever sent back to the node it was published on (tracks' origin is the sender). */
    static void assertNoEcho(List<JsonNode> pipes) {
        assertThat(pipes).isNotEmpty();
        for (JsonNode pipe : pipes) {
            for (JsonNode track : pipe.path("tracks")) {
                String origin = track.path("originNode").asText();
                if (track.path("direction").asText().equals("out")) {
                    assertThat(origin).as("pipe %s", pipe).isEqualTo(pipe.path("localNode").asText());
                } else {
                    assertThat(origin).as("pipe %s", pipe).isEqualTo(pipe.path("remoteNode").asText());
                }
                assertThat(origin).isNotEqualTo(pipe.path(track.path("direction").asText().equals("out")
                        ? "remoteNode" : "localNode").asText());
            }
        }
    }

    private static long videoBytes(List<BrowserPage> pages) {
        long total = 0;
        for (BrowserPage page : pages) {
            total += bytes(page, "video");
        }
        return total;
    }

    private static long bytes(BrowserPage page, String kind) {
        try {
            return page.eval("(async () => (await window.sfu.inboundStats()).filter(s => s.kind === '" + kind
                    + "').reduce((a, s) => a + s.bytesReceived, 0))()").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String trackOf(BrowserPage page, String kind) throws Exception {
        String id = page.participantId();
        for (JsonNode track : page.eval("window.sfu.tracks")) {
            if (track.path("participantId").asText().equals(id) && track.path("kind").asText().equals(kind)) {
                return track.path("trackId").asText();
            }
        }
        throw new AssertionError("no " + kind + " track of " + page.name());
    }

    /** The room's pipes, asked again (within 10 s) while a busy node or pipe leaves the answer partial. */
    static List<JsonNode> pipes(String roomId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode room = NodeCluster.roomDetail(cluster.node(0), roomId);
        while (!room.path("pipesComplete").asBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(200); // poll interval
            room = NodeCluster.roomDetail(cluster.node(0), roomId);
        }
        assertThat(room.path("pipesComplete").asBoolean()).as("every pipe of the room answered: %s", room).isTrue();
        List<JsonNode> out = new ArrayList<>();
        room.path("pipes").forEach(out::add);
        return out;
    }

    private static long bytesBetween(List<JsonNode> pipes, String from, String to) {
        long total = 0;
        for (JsonNode pipe : pipes) {
            if (pipe.path("localNode").asText().equals(from) && pipe.path("remoteNode").asText().equals(to)) {
                for (JsonNode track : pipe.path("tracks")) {
                    total += track.path("bytes").asLong();
                }
            }
        }
        return total;
    }

    private static long pipeBytes(List<JsonNode> pipes, String from, String to, String track, String direction) {
        for (JsonNode pipe : pipes) {
            if (pipe.path("localNode").asText().equals(from) && pipe.path("remoteNode").asText().equals(to)) {
                for (JsonNode t : pipe.path("tracks")) {
                    if (t.path("trackId").asText().equals(track) && t.path("direction").asText().equals(direction)) {
                        return t.path("bytes").asLong();
                    }
                }
            }
        }
        return 0;
    }

    private static List<String> outCounters(List<JsonNode> pipes, String from, String to) {
        List<String> tracks = new ArrayList<>();
        for (JsonNode pipe : pipes) {
            if (pipe.path("localNode").asText().equals(from) && pipe.path("remoteNode").asText().equals(to)) {
                pipe.path("tracks").forEach(t -> {
                    if (t.path("direction").asText().equals("out")) {
                        tracks.add(t.path("trackId").asText());
                    }
                });
            }
        }
        return tracks;
    }
}
