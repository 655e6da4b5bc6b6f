package org.adam.sfu.it;

import static org.adam.sfu.it.BrowserPage.videoWidth;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

/**
 * Bandwidth adaptation (issue: media quality, test 2): a receiver on `auto` behind a link the test
 * limits to 300 kbit/s is moved to the lowest simulcast layer within 5 s and keeps decoding;
 * lifting the limit brings it back up.
 */
class BandwidthTest {

    private static final int HTTP_PORT = 19110;
    private static final int MEDIA_PORT = 42110;

    @Test
    void aLimitedReceiverDropsToTheLowLayerAndComesBackWhenTheLimitLifts() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            List<String> origins = List.of("http://" + lab.nodeAddress() + ":" + HTTP_PORT);
            try (NodeProcess node = NodeProcess.start("bwe", HTTP_PORT, MEDIA_PORT,
                    "--http-host", lab.nodeAddress(), "--media-host", lab.nodeAddress(), "--auth", "open");
                 BrowserDriver local = BrowserDriver.start(List.of(), origins);
                 BrowserDriver far = lab.browser(origins)) {
                BrowserPage publisher = local.open("bwe-pub", SingleNodeCallTest.roomUrl(node, "bwe", "pub") + "&simulcast=1");
                publisher.awaitState("joined", Duration.ofSeconds(20));
                String publisherId = publisher.participantId();
                BrowserPage receiver = far.open("bwe-rx", SingleNodeCallTest.roomUrl(node, "bwe", "rx") + "&publish=0");
                receiver.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(publisherId), 30),
                        Duration.ofSeconds(45));
                receiver.awaitInbound(s -> videoWidth(s) >= 640, Duration.ofSeconds(60));
                System.out.printf("bandwidth: unlimited receiver decodes %d px%n", videoWidth(receiver.inbound()));

                String layerBeforeLimit = lastLayerChange(receiver.events());
                lab.limitDownlink(300);
                long limited = System.nanoTime();
                receiver.awaitInbound(s -> videoWidth(s) > 0 && videoWidth(s) <= 400, Duration.ofSeconds(5));
                double down = (System.nanoTime() - limited) / 1e9;
                long framesAtLow = frames(receiver.inbound());
                Thread.sleep(5000); // the observation window: the receiver must stay low and decoding all along it
                List<BrowserPage.Inbound> stillLimited = receiver.inbound();
                long decodedWhileLimited = frames(stillLimited) - framesAtLow;
                System.out.printf("bandwidth: at 300 kbit/s down to %d px in %.2f s; %d frames in the next 5 s;"
                                + " node sent %.0f padding bytes, %.0f transport-cc reports%n",
                        videoWidth(stillLimited), down, decodedWhileLimited,
                        node.metric("sfu_probe_padding_bytes_total{node=\"bwe\"}"),
                        node.metric("sfu_transport_cc_reports_total{node=\"bwe\"}"));
                assertThat(videoWidth(stillLimited)).as("stays on the low layer while limited").isBetween(1, 400);
                assertThat(decodedWhileLimited).as("keeps decoding while limited").isGreaterThan(50);
                String layerWhileLimited = lastLayerChange(receiver.events());
                assertThat(layerWhileLimited).as("the node told the receiver it moved it down after the limit")
                        .isNotNull().isNotEqualTo(layerBeforeLimit);

                lab.liftDownlinkLimit();
                long lifted = System.nanoTime();
                receiver.awaitInbound(s -> videoWidth(s) >= 640, Duration.ofSeconds(30));
                System.out.printf("bandwidth: limit lifted, back to %d px in %.2f s%n", videoWidth(receiver.inbound()),
                        (System.nanoTime() - lifted) / 1e9);
                assertThat(lastLayerChange(receiver.events()))
                        .as("the node told the receiver it moved it up after the lift (the last layer-changed"
                                + " event names another layer than the limited one)")
                        .isNotNull().isNotEqualTo(layerWhileLimited);
            }
        }
    }

    /**
     * The layer named by the last `layer-changed` event the page received, or null. The last one,
     * not any one: the page keeps only its latest 1000 events, so indices shift, and an event from
     * before the step under test must not count for it.
     */
    private static String lastLayerChange(JsonNode events) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if ("layer-changed".equals(events.get(i).path("type").asText())) {
                return events.get(i).path("layer").asText();
            }
        }
        return null;
    }

    private static long frames(List<BrowserPage.Inbound> stats) {
        return stats.stream().filter(s -> s.kind().equals("video")).mapToLong(BrowserPage.Inbound::framesDecoded).sum();
    }
}
