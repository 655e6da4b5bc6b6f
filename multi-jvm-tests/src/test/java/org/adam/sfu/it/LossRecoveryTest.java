package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Loss recovery (issue: media quality, test 3): a receiver behind a link that drops 5 % of what
 * the node sends it, once with the node answering its NACKs from the retransmission cache and
 * once with NACK answering switched off; the same publisher and receiver setup both times.
 */
class LossRecoveryTest {

    private static final int LOSS_PERCENT = 5;
    private static final Duration MEASURED = Duration.ofSeconds(20);

    /** Video freezes and frames of one measured run, as the receiver's getStats counts them. */
    record Run(boolean retransmissions, long freezes, double frozenSeconds, long framesDecoded, double retransmitted) {
    }

    @Test
    void retransmissionGivesFewerAndShorterFreezesThanNone() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            List<String> origins = List.of("http://" + lab.nodeAddress() + ":19100", "http://" + lab.nodeAddress() + ":19101");
            Run with;
            Run without;
            try (BrowserDriver local = BrowserDriver.start(List.of(), origins); BrowserDriver far = lab.browser(origins)) {
                with = measure(lab, local, far, true, 19100, 42100);
                without = measure(lab, local, far, false, 19101, 42101);
            }
            System.out.printf("loss recovery at %d %% loss over %d s: with retransmission %d freezes, %.2f s frozen,"
                            + " %d frames, %.0f packets resent; without %d freezes, %.2f s frozen, %d frames%n",
                    LOSS_PERCENT, MEASURED.toSeconds(), with.freezes(), with.frozenSeconds(), with.framesDecoded(),
                    with.retransmitted(), without.freezes(), without.frozenSeconds(), without.framesDecoded());
            assertThat(with.retransmitted()).as("the node resent lost packets").isPositive();
            assertThat(without.retransmitted()).isZero();
            assertThat(without.freezes()).as("loss without retransmission freezes the video").isPositive();
            assertThat(with.freezes()).as("fewer freezes").isLessThan(without.freezes());
            assertThat(with.frozenSeconds()).as("much less time frozen").isLessThan(without.frozenSeconds() / 2);
            assertThat(with.framesDecoded()).as("the video kept decoding").isGreaterThan(MEASURED.toSeconds() * 10);
        }
    }

    /** Loss on the publisher's uplink: the node NACKs the gaps itself and its receivers keep decoding. */
    @Test
    void uplinkLossIsAskedForByTheNode() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            List<String> origins = List.of("http://" + lab.nodeAddress() + ":19102");
            try (NodeProcess node = NodeProcess.start("uplink", 19102, 42102,
                    "--http-host", lab.nodeAddress(), "--media-host", lab.nodeAddress(), "--auth", "open");
                 BrowserDriver local = BrowserDriver.start(List.of(), origins);
                 BrowserDriver far = lab.browser(origins)) {
                BrowserPage publisher = far.open("uplink-pub", SingleNodeCallTest.roomUrl(node, "uplink", "pub"));
                publisher.awaitState("joined", Duration.ofSeconds(20));
                String publisherId = publisher.participantId();
                BrowserPage receiver = local.open("uplink-rx",
                        SingleNodeCallTest.roomUrl(node, "uplink", "rx") + "&publish=0");
                receiver.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(publisherId), 60),
                        Duration.ofSeconds(45));
                lab.dropUplink(LOSS_PERCENT);
                Thread.sleep(2000); // the freeze the loss starts with is not what the window below measures
                BrowserPage.Inbound before = video(receiver);
                Thread.sleep(MEASURED.toMillis()); // the measurement window
                BrowserPage.Inbound after = video(receiver);
                lab.clearLoss();
                double uplinkNacks = node.metric("sfu_uplink_nacks_total{node=\"uplink\"}");
                long freezes = after.freezeCount() - before.freezeCount();
                double frozen = after.totalFreezesDuration() - before.totalFreezesDuration();
                System.out.printf("uplink loss at %d %% over %d s: node sent %.0f NACKs upstream; receiver %d freezes,"
                                + " %.2f s frozen, %d frames%n", LOSS_PERCENT, MEASURED.toSeconds(), uplinkNacks, freezes,
                        frozen, after.framesDecoded() - before.framesDecoded());
                assertThat(uplinkNacks).isPositive();
                assertThat(frozen).as("retransmitted upstream in time; the receiver's video: %s; the node relayed %.0f"
                                + " NACKs and sent %.0f keyframe requests upstream", receiver.videoReceiveStats(),
                        node.metric("sfu_nacks_relayed_total{node=\"uplink\"}"),
                        node.metric("sfu_keyframe_requests_sent_total{node=\"uplink\"}")).isLessThan(2.0);
            }
        }
    }

    private static Run measure(NetworkLab lab, BrowserDriver local, BrowserDriver far, boolean retransmissions,
                               int httpPort, int mediaPort) throws Exception {
        String name = retransmissions ? "rtx-on" : "rtx-off";
        try (NodeProcess node = NodeProcess.start(name, httpPort, mediaPort,
                "--http-host", lab.nodeAddress(), "--media-host", lab.nodeAddress(), "--auth", "open",
                "-Dsfu.media.retransmissions=" + retransmissions)) {
            String room = SingleNodeCallTest.roomUrl(node, name, "pub");
            BrowserPage publisher = local.open(name + "-pub", room);
            publisher.awaitState("joined", Duration.ofSeconds(20));
            String publisherId = publisher.participantId();
            BrowserPage receiver = far.open(name + "-rx", SingleNodeCallTest.roomUrl(node, name, "rx") + "&publish=0");
            receiver.awaitInbound(s -> SingleNodeCallTest.receivesFromAll(s, List.of(publisherId), 60),
                    Duration.ofSeconds(45));
            lab.dropDownlink(LOSS_PERCENT);
            try {
                Thread.sleep(2000); // the freeze the loss starts with is not what the window below measures
                BrowserPage.Inbound before = video(receiver);
                Thread.sleep(MEASURED.toMillis()); // the measurement window
                BrowserPage.Inbound after = video(receiver);
                double resent = node.metric("sfu_retransmitted_packets_total{node=\"" + name + "\"}");
                return new Run(retransmissions, after.freezeCount() - before.freezeCount(),
                        after.totalFreezesDuration() - before.totalFreezesDuration(),
                        after.framesDecoded() - before.framesDecoded(), resent);
            } finally {
                lab.clearLoss();
                receiver.close();
                publisher.close();
            }
        }
    }

    private static BrowserPage.Inbound video(BrowserPage page) throws Exception {
        return page.inbound().stream().filter(s -> s.kind().equals("video")).findFirst().orElseThrow();
    }
}
