package org.adam.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.adam.sfu.bench.load.scenario.RunFigures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator end to end against a real node JVM on loopback: one publisher, two
 * subscribers, a few seconds. Its figures are not judged, only that they were measured and
 * that the node forwarded what was sent.
 */
class LoadGeneratorSmokeTest {

    @Test
    void forwardsOnePublisherToTwoSubscribersWithLowLossAndMeasuredLatency(@TempDir Path dir) throws Exception {
        LoadOptions options = LoadOptions.parse(new String[] {
            "--scenario", "fan-out", "--fan-out", "2", "--duration", "3s", "--warmup", "1s",
            "--node-jar", System.getProperty("sfu.node.jar"), "--http-port", "18491", "--media-port", "41491",
            "--out", dir.resolve("results.json").toString(), "--node-log", dir.resolve("node.log").toString()});

        List<RunFigures> runs = LoadGeneratorMain.run(options);

        assertThat(runs).hasSize(1);
        RunFigures run = runs.get(0);
        assertThat(run.failures()).isEmpty();
        assertThat(run.receiversConnected()).isEqualTo(2);
        // Opus (50/s) and 1.5 Mbit/s VP8 (~180/s) to each of two receivers: some 460 packets/s.
        assertThat(run.forwardedPacketsPerSecond()).isGreaterThan(300);
        assertThat(run.packetsReceived()).isGreaterThan(run.packetsSent());
        assertThat(run.loss()).isLessThan(0.01);
        assertThat(run.latencySamples()).isEqualTo(run.packetsReceived());
        assertThat(run.latencyP50Ms()).isPositive().isLessThan(50);
        assertThat(run.latencyP99Ms()).isGreaterThanOrEqualTo(run.latencyP50Ms());
        assertThat(run.jitterMs()).isGreaterThanOrEqualTo(0);
        assertThat(run.nodeCpuSeconds()).isPositive();
        assertThat(run.nodeHeapUsedBytes()).isPositive();
        assertThat(run.keyframesSent()).isPositive();
    }

    @Test
    void refusesTargetsOffLoopback() {
        TargetPolicy policy = TargetPolicy.loopbackOnly();
        assertThat(policy.permits(TargetPolicy.literal("127.0.0.1"))).isTrue();
        assertThat(policy.permits(TargetPolicy.literal("10.0.0.1"))).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> policy.check(java.net.URI.create("ws://example.org/signal")))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> policy.check(new java.net.InetSocketAddress("192.168.1.2", 40000)))
                .isInstanceOf(IllegalArgumentException.class);
        TargetPolicy namespace = new TargetPolicy(java.util.Set.of(TargetPolicy.literal("10.200.0.2")));
        assertThat(namespace.permits(TargetPolicy.literal("10.200.0.2"))).isTrue();
    }

    @Test
    void boundsDurationAndSize() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--duration", "1h"}))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--duration", "600s"}))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--fan-out", "5000"}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void janusNeedsItsUrlAndPid() {
        LoadOptions janus = LoadOptions.parse(new String[] {"--sfu", "janus", "--janus-url",
            "http://10.250.0.1:8088/janus", "--node-pid", "1234"});
        assertThat(janus.sfu()).isEqualTo("janus");
        assertThat(janus.nodePid()).isEqualTo(1234);
        assertThat(LoadOptions.parse(new String[0]).sfu()).isEqualTo("ours");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--sfu", "janus"}))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--sfu", "mediasoup"}))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> LoadOptions.parse(new String[] {"--janus-url", "http://10.250.0.1:8088/janus"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
