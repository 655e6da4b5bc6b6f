package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mesh fallback (issue: neighbourhood integration, test 2): the topology a call gets from its
 * neighbourhood's policy and the SFUs up, and real peer-to-peer calls between Chromium pages
 * through the node's mesh-signal relay.
 */
class MeshTest {

    private static TestRig rig;
    private static NodeProcess node;
    private static BrowserDriver browser;
    private static final TestAgent OWNER = TestAgent.create();

    @BeforeAll
    static void start() throws Exception {
        rig = TestRig.single("mesh", 19140, 42140);
        node = rig.node();
        browser = rig.browser();
    }

    @AfterAll
    static void stop() throws Exception {
        TestRig.close(rig);
    }

    private static void policy(String neighbourhood, String config) throws Exception {
        NeighbourhoodPolicyTest.graphql(node, "mutation($n: String!, $d: String!) { sfuSetOwner(neighbourhoodUrl: $n,"
                + " did: $d) { owner } }", Map.of("n", neighbourhood, "d", OWNER.did()), null);
        var saved = NeighbourhoodPolicyTest.setConfig(node, neighbourhood, OWNER, config);
        assertThat(saved.path("errors").isMissingNode()).as(saved.toString()).isTrue();
    }

    private static String url(String neighbourhood, String name, String extra) {
        return node.url("/?neighbourhood=" + URLEncoder.encode(neighbourhood, StandardCharsets.UTF_8)
                + "&room=call&name=" + name + "&autojoin=1" + extra);
    }

    private static List<BrowserPage> join(String neighbourhood, String prefix, int count, String extra)
            throws Exception {
        List<BrowserPage> pages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BrowserPage page = browser.open(prefix + i, url(neighbourhood, prefix + i, extra));
            page.awaitState("joined", Duration.ofSeconds(20));
            pages.add(page);
        }
        return pages;
    }

    private static void closeAll(List<BrowserPage> pages) throws Exception {
        for (BrowserPage page : pages) {
            page.close();
        }
    }

    @Test
    void threePagesDecodeEachOtherOverMesh() throws Exception {
        policy("neighbourhood://mesh", "{\"mode\":\"mesh\"}");
        double transportsBefore = node.metric("sfu_transports{node=\"mesh\"}");
        List<BrowserPage> pages = join("neighbourhood://mesh", "mesh-", 3, "");
        List<String> ids = new ArrayList<>();
        for (BrowserPage page : pages) {
            assertThat(page.eval("window.sfu.topology").asText()).isEqualTo("mesh");
            ids.add(page.participantId());
        }
        for (BrowserPage page : pages) {
            List<String> others = ids.stream().filter(id -> !id.equals(participant(page))).toList();
            page.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, others, 30), Duration.ofSeconds(45));
        }
        assertThat(node.metric("sfu_transports{node=\"mesh\"}")).as("the node carries no media in mesh")
                .isLessThanOrEqualTo(transportsBefore);
        assertThat(pages.get(0).eval("document.getElementById('mode').textContent").asText()).startsWith("mesh");
        closeAll(pages);
    }

    @Test
    void aMeshCallOverTheLimitIsWarnedAndStillTried() throws Exception {
        policy("neighbourhood://big", "{\"mode\":\"mesh\",\"maxMeshParticipants\":4}");
        List<BrowserPage> pages = join("neighbourhood://big", "big-", 5, "&publish=0");
        for (BrowserPage page : pages) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!page.eventTypes().contains("warning") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(page.eventTypes()).as(page.name()).contains("warning");
            assertThat(page.eval("window.sfu.topology").asText()).isEqualTo("mesh");
        }
        assertThat(pages.get(4).eval("document.getElementById('notice').textContent").asText())
                .contains("mesh");
        closeAll(pages);
    }

    @Test
    void designatedModeFallsBackToMeshWhileTheDesignatedNodeIsDown() throws Exception {
        String self = NeighbourhoodPolicyTest.graphql(node,
                "{ sfuPeerForNeighbourhood(neighbourhoodUrl: \"neighbourhood://anything\") }", Map.of(), null)
                .path("data").path("sfuPeerForNeighbourhood").asText();
        assertThat(self).as("this node's own DID").startsWith("did:key:z6Mk");
        policy("neighbourhood://up", "{\"mode\":\"designated\",\"designatedPeer\":\"" + self + "\"}");
        List<BrowserPage> up = join("neighbourhood://up", "up-", 1, "&publish=0");
        assertThat(up.get(0).eval("window.sfu.topology").asText()).as("designated node up").isEqualTo("sfu");
        closeAll(up);

        TestAgent absentNode = TestAgent.create();
        policy("neighbourhood://down", "{\"mode\":\"designated\",\"designatedPeer\":\"" + absentNode.did() + "\"}");
        List<BrowserPage> pages = join("neighbourhood://down", "down-", 2, "");
        for (BrowserPage page : pages) {
            assertThat(page.eval("window.sfu.topology").asText()).as("designated node down").isEqualTo("mesh");
        }
        String first = participant(pages.get(0));
        String second = participant(pages.get(1));
        pages.get(0).awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(second), 30), Duration.ofSeconds(45));
        pages.get(1).awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(first), 30), Duration.ofSeconds(45));
        closeAll(pages);
    }

    private static String participant(BrowserPage page) {
        try {
            return page.participantId();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A policy change moves a running call: everyone gets `topology` and re-joins the new way. */
    @Test
    void aPolicyChangeMovesARunningMeshCallToTheSfu() throws Exception {
        policy("neighbourhood://moving", "{\"mode\":\"mesh\"}");
        List<BrowserPage> pages = join("neighbourhood://moving", "move-", 2, "");
        for (BrowserPage page : pages) {
            assertThat(page.eval("window.sfu.topology").asText()).isEqualTo("mesh");
        }
        policy("neighbourhood://moving", "{\"mode\":\"gateway\"}");
        for (BrowserPage page : pages) {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!"sfu".equals(page.eval("window.sfu.topology").asText(null)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(page.eval("window.sfu.topology").asText()).as(page.name()).isEqualTo("sfu");
        }
        String first = participant(pages.get(0));
        String second = participant(pages.get(1));
        pages.get(0).awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(second), 30), Duration.ofSeconds(45));
        pages.get(1).awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(first), 30), Duration.ofSeconds(45));
        closeAll(pages);
    }
}
