package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `kill -9` of the node hosting a room (issue: cascaded mode, test 5): the calls between the two
 * other nodes go on, the room is re-created on a survivor, and the dead node's participant
 * re-joins through another node and is seen again by everyone.
 */
class FailoverTest {

    private static TestRig rig;
    private static NodeCluster cluster;
    private static BrowserDriver browser;

    @BeforeAll
    static void start() throws Exception {
        rig = TestRig.cluster(18400, List.of("a", "b", "c"));
        cluster = rig.cluster();
        browser = rig.browser();
    }

    @AfterAll
    static void stop() throws Exception {
        TestRig.close(rig);
    }

    private static long videoFramesFrom(BrowserPage page, String participantId) throws Exception {
        return page.inbound().stream().filter(s -> s.kind().equals("video") && participantId.equals(s.participantId()))
                .mapToLong(BrowserPage.Inbound::framesDecoded).sum();
    }

    @Test
    void survivorsKeepTheirCallAndTheRoomMovesWhenItsNodeIsKilled() throws Exception {
        String room = "failover";
        String[] names = {"alice", "bob", "carol"};
        List<BrowserPage> pages = new ArrayList<>();
        Map<BrowserPage, String> ids = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            BrowserPage page = browser.open(names[i], SingleNodeCallTest.roomUrl(cluster.node(i), room, names[i]));
            page.awaitState("joined", Duration.ofSeconds(20));
            pages.add(page);
            ids.put(page, page.participantId());
        }
        for (BrowserPage page : pages) {
            List<String> others = pages.stream().filter(p -> p != page).map(ids::get).toList();
            page.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, others, 30), Duration.ofSeconds(45));
        }
        String roomId = NodeCluster.roomId(cluster.node(0), room);
        String host = NodeCluster.roomDetail(cluster.node(0), roomId).path("host").asText();
        int hostIndex = List.of("a", "b", "c").indexOf(host);
        assertThat(hostIndex).isNotNegative();
        BrowserPage victimPage = pages.get(hostIndex);
        List<BrowserPage> survivors = pages.stream().filter(p -> p != victimPage).toList();
        NodeProcess survivorNode = cluster.node((hostIndex + 1) % 3);
        String victimId = ids.get(victimPage);

        BrowserPage first = survivors.get(0);
        BrowserPage second = survivors.get(1);
        long firstSeesSecond = videoFramesFrom(first, ids.get(second));
        long secondSeesFirst = videoFramesFrom(second, ids.get(first));
        long killedAt = System.nanoTime();
        System.out.println("killing node " + host + " at " + java.time.LocalTime.now());
        cluster.node(hostIndex).kill();

        // Within 10 s the call between the survivors decodes new frames.
        first.awaitInbound(s -> s.stream().anyMatch(i -> ids.get(second).equals(i.participantId())
                && i.kind().equals("video") && i.framesDecoded() > firstSeesSecond + 30), Duration.ofSeconds(10));
        second.awaitInbound(s -> s.stream().anyMatch(i -> ids.get(first).equals(i.participantId())
                && i.kind().equals("video") && i.framesDecoded() > secondSeesFirst + 30), Duration.ofSeconds(10));

        // The room is hosted by a survivor.
        String newHost = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode detail = NodeCluster.get(survivorNode, "/admin/rooms/" + roomId);
            String h = detail.path("host").asText(null);
            if (h != null && !h.equals(host) && detail.path("participants").size() == 2) {
                newHost = h;
                break;
            }
            Thread.sleep(100);
        }
        double rehomeSeconds = (System.nanoTime() - killedAt) / 1e9;
        System.out.printf("room re-homed from %s to %s %.1f s after kill -9%n", host, newHost, rehomeSeconds);
        assertThat(newHost).isNotNull().isNotEqualTo(host);
        // Measured 9.4-10.5 s when this test was written, and 13.0-16.9 s on the same kind of machine
        // since (the tree of then included: 16.1 s). Unreachable after 3.3-3.6 s, the split-brain
        // resolver's decision 2.5-3.5 s later, removal 1-5 s after that, the shard coordinator's move
        // ~1 s, then the room's rebuild settle time (3 s). Issue 15 is to bring it under 5 s; until
        // then the bound only says that the room moves, with room for a loaded machine.
        assertThat(rehomeSeconds).isLessThan(20.0);
        for (BrowserPage survivor : survivors) {
            SingleNodeCallTest.awaitEvent(survivor, e -> e.path("type").asText().equals("participant-left")
                    && e.path("participantId").asText().equals(victimId), Duration.ofSeconds(20));
        }

        // The dead node's participant re-joins through a survivor and everyone sees everyone again.
        victimPage.eval("window.sfu.join('" + survivorNode.signalUrl() + "')");
        victimPage.awaitState("joined", Duration.ofSeconds(20));
        String rejoined = victimPage.participantId();
        for (BrowserPage survivor : survivors) {
            survivor.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(rejoined), 30),
                    Duration.ofSeconds(45));
        }
        victimPage.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s,
                survivors.stream().map(ids::get).toList(), 30), Duration.ofSeconds(45));
    }
}
