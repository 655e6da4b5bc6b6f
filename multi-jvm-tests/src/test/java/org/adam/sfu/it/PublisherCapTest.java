package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Abuse limits (issue: neighbourhood integration): a neighbourhood's `maxBitrateKbps` caps what
 * each of its publishers sends (REMB from the node), and the publisher is told the cap.
 */
class PublisherCapTest {

    private static final String NEIGHBOURHOOD = "neighbourhood://capped";
    private static final int CAP_KBPS = 200;
    private static TestRig rig;
    private static NodeProcess node;

    @BeforeAll
    static void start() throws Exception {
        rig = TestRig.single("capped", 19160, 42160);
        node = rig.node();
    }

    @AfterAll
    static void stop() throws Exception {
        TestRig.close(rig);
    }

    private static long bytesSent(BrowserPage page) throws Exception {
        return page.eval("(async () => { let sum = 0; (await window.sfu.publishPc.getStats()).forEach((s) => {"
                + " if (s.type === 'outbound-rtp') sum += s.bytesSent || 0; }); return sum; })()").asLong();
    }

    /** The publish connection's send estimate (its selected pair's availableOutgoingBitrate), kbit/s; 0 before one. */
    private static double sendEstimateKbps(BrowserPage page) throws Exception {
        return page.eval("(async () => { let v = 0; (await window.sfu.publishPc.getStats()).forEach((s) => {"
                + " if (s.type === 'candidate-pair' && s.nominated && s.availableOutgoingBitrate) v = s.availableOutgoingBitrate;"
                + " }); return v; })()").asDouble() / 1000;
    }

    /**
     * Waits until the publisher's own send estimate has settled under {@code kbps} (two samples a
     * second apart), within {@code timeout}. Its rate alone would not do: a publisher starts low,
     * under any cap, before the node's REMB has had a say.
     */
    private static void awaitEstimateUnder(BrowserPage page, double kbps, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int under = 0;
        while (under < 2 && System.nanoTime() < deadline) {
            double estimate = sendEstimateKbps(page);
            under = estimate > 0 && estimate <= kbps ? under + 1 : 0;
            Thread.sleep(1000); // the sampling interval of a bounded wait
        }
    }

    @Test
    void aPublisherIsHeldToTheNeighbourhoodsBitrateCap() throws Exception {
        TestAgent owner = TestAgent.create();
        NeighbourhoodPolicyTest.graphql(node, "mutation($n: String!, $d: String!) { sfuSetOwner(neighbourhoodUrl: $n,"
                + " did: $d) { owner } }", Map.of("n", NEIGHBOURHOOD, "d", owner.did()), null);
        var saved = NeighbourhoodPolicyTest.setConfig(node, NEIGHBOURHOOD, owner,
                "{\"mode\":\"gateway\",\"maxBitrateKbps\":" + CAP_KBPS + "}");
        assertThat(saved.path("errors").isMissingNode()).as(saved.toString()).isTrue();

        BrowserPage publisher = rig.browser().open("capped-pub", node.url("/?neighbourhood="
                + URLEncoder.encode(NEIGHBOURHOOD, StandardCharsets.UTF_8) + "&room=r&name=pub&autojoin=1"));
        publisher.awaitState("joined", Duration.ofSeconds(20));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!publisher.eventTypes().contains("bitrate-cap") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(publisher.eventTypes()).contains("bitrate-cap");
        awaitEstimateUnder(publisher, CAP_KBPS * 1.3, Duration.ofSeconds(20)); // held by the node's REMB
        long before = bytesSent(publisher);
        Thread.sleep(6000); // the measurement window: the settled rate must hold for 6 s
        double kbps = (bytesSent(publisher) - before) * 8 / 6.0 / 1000;
        System.out.printf("publisher cap: %d kbit/s allowed, %.0f kbit/s sent (RTP payload and headers),"
                + " its send estimate %.0f kbit/s%n", CAP_KBPS, kbps, sendEstimateKbps(publisher));
        assertThat(kbps).isPositive().isLessThan(CAP_KBPS * 1.3);
        publisher.close();
    }
}
