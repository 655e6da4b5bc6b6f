package org.adam.sfu.bench.load.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.adam.sfu.bench.load.client.ClientRuntime;
import org.adam.sfu.bench.load.client.LoadParticipant;
import org.adam.sfu.bench.load.node.NodeSnapshot;
import org.adam.sfu.bench.load.node.NodeUnderTest;
import org.adam.sfu.bench.load.signal.SfuSignalling;
import org.adam.sfu.bench.load.stats.LatencyHistogram;
import org.adam.sfu.bench.load.stats.ReceiveStats;

/**
 * Runs one scenario against the node: joins everyone (publishers first), waits until every
 * receiver hears all it should, lets the call settle, then measures a window of fixed length
 * at the receivers and on the node, and leaves. The window is the only time figures count.
 */
public final class ScenarioRunner {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SETTLE_AFTER_LEAVE = Duration.ofSeconds(2);
    /**
     * Joins wait while this many connections are still in ICE/DTLS: a few hundred handshakes at
     * once on two shared cores starve each other past any timeout, which measures the join storm,
     * not forwarding. The same for every SFU under test.
     */
    private static final int HANDSHAKES_IN_FLIGHT = 16;
    private static final Duration HANDSHAKE_WAIT = Duration.ofSeconds(10);

    private final ClientRuntime runtime;
    private final SfuSignalling signalling;
    private final String label;
    private final NodeUnderTest node;
    private final String jdk;
    private final String commit;

    public ScenarioRunner(ClientRuntime runtime, SfuSignalling signalling, String label, NodeUnderTest node,
                          String jdk, String commit) {
        this.runtime = runtime;
        this.signalling = signalling;
        this.label = label;
        this.node = node;
        this.jdk = jdk;
        this.commit = commit;
    }

    public RunFigures run(Scenario scenario, Duration warmup, Duration window) throws Exception {
        Map<ParticipantPlan, LoadParticipant> joined = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try {
            String profile = joinAll(scenario, joined, failures);
            int connected = awaitReception(scenario, joined, failures);
            Thread.sleep(warmup.toMillis());
            return measure(scenario, joined, window, profile, connected, failures);
        } finally {
            joined.values().forEach(LoadParticipant::close);
            Thread.sleep(SETTLE_AFTER_LEAVE.toMillis());
        }
    }

    private String joinAll(Scenario scenario, Map<ParticipantPlan, LoadParticipant> joined, List<String> failures)
            throws Exception {
        String profile = "?";
        List<ParticipantPlan> order = new ArrayList<>(scenario.participants());
        order.sort((a, b) -> Boolean.compare(b.publishes(), a.publishes()));
        for (ParticipantPlan plan : order) {
            awaitHandshakesBelow(HANDSHAKES_IN_FLIGHT, joined.values());
            LoadParticipant participant = LoadParticipant.join(runtime, signalling, plan.room(), plan.name());
            joined.put(plan, participant);
            participant.publish(plan.publishing());
            if (plan.quality() != null) {
                participant.setQuality(plan.quality());
            }
        }
        for (LoadParticipant participant : joined.values()) {
            if (participant.publishes()) {
                try {
                    profile = participant.publishConnected().get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .name();
                } catch (Exception e) {
                    failures.add(participant.name() + " did not connect its publish connection: " + e);
                }
            }
        }
        return profile;
    }

    /** Waits (at most {@link #HANDSHAKE_WAIT}) until fewer than {@code limit} connections are still connecting. */
    private static void awaitHandshakesBelow(int limit, Iterable<LoadParticipant> joined) throws InterruptedException {
        long deadline = System.nanoTime() + HANDSHAKE_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            int connecting = 0;
            for (LoadParticipant participant : joined) {
                connecting += participant.connectionsConnecting();
            }
            if (connecting < limit) {
                return;
            }
            Thread.sleep(10);
        }
    }

    /** Waits until every receiver hears every stream it should, or the timeout; returns how many did. */
    private int awaitReception(Scenario scenario, Map<ParticipantPlan, LoadParticipant> joined, List<String> failures)
            throws Exception {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        while (true) {
            int complete = 0;
            int receivers = 0;
            for (Map.Entry<ParticipantPlan, LoadParticipant> entry : joined.entrySet()) {
                int expected = scenario.expectedStreams(entry.getKey());
                if (expected == 0) {
                    continue;
                }
                receivers++;
                if (entry.getValue().streamsReceived() >= expected) {
                    complete++;
                }
            }
            if (complete == receivers) {
                return complete;
            }
            if (System.nanoTime() > deadline) {
                failures.add((receivers - complete) + " of " + receivers + " receivers did not hear every stream within "
                        + CONNECT_TIMEOUT.toSeconds() + " s");
                return complete;
            }
            Thread.sleep(100);
        }
    }

    private RunFigures measure(Scenario scenario, Map<ParticipantPlan, LoadParticipant> joined, Duration window,
                               String profile, int connected, List<String> failures) throws Exception {
        for (LoadParticipant participant : joined.values()) {
            participant.startWindow();
        }
        long sentBefore = sent(joined);
        double ownCpuBefore = ownCpuSeconds();
        long ownGcBefore = ownGcMillis();
        NodeSnapshot before = node.snapshot();
        Thread.sleep(window.toMillis());
        NodeSnapshot after = node.snapshot();
        double ownCpu = ownCpuSeconds() - ownCpuBefore;
        long ownGc = ownGcMillis() - ownGcBefore;
        long sentAfter = sent(joined);

        long packets = 0;
        long bytes = 0;
        long expected = 0;
        long lost = 0;
        long rtx = 0;
        double jitterSum = 0;
        int streams = 0;
        long keyframes = 0;
        LatencyHistogram latency = new LatencyHistogram();
        for (LoadParticipant participant : joined.values()) {
            keyframes += participant.keyframesSent();
            failures.addAll(participant.failures());
            ReceiveStats.Snapshot s = participant.receiveSnapshot();
            if (s == null) {
                continue;
            }
            packets += s.packets();
            bytes += s.bytes();
            expected += s.expected();
            lost += s.lost();
            rtx += s.rtxPackets();
            jitterSum += s.jitterMillisSum();
            streams += s.streams();
            latency.add(s.latency());
        }
        double seconds = (after.atNanos() - before.atNanos()) / 1e9;
        double cpu = after.cpuSeconds() - before.cpuSeconds();
        boolean jvm = after.jvmMeters();
        return new RunFigures(scenario.name(), label, scenario.rooms(), scenario.publishers(),
                (int) scenario.subscribers(), scenario.forwardedStreams(), round(seconds, 3),
                sentAfter - sentBefore, packets, round(packets / seconds, 1), round(bytes * 8 / seconds / 1e6, 3),
                expected, lost, expected > 0 ? round((double) lost / expected, 6) : 0,
                millis(latency.quantileMicros(0.50)), millis(latency.quantileMicros(0.99)),
                millis(latency.maxMicros()), latency.count(), streams > 0 ? round(jitterSum / streams, 3) : -1, rtx,
                round(cpu, 3), packets > 0 ? round(cpu * 1e6 / packets, 3) : -1, round(ownCpu, 3), ownGc,
                after.forwardedPackets() < 0 ? -1 : after.forwardedPackets() - before.forwardedPackets(),
                jvm ? after.heapUsedBytes() : -1,
                jvm ? after.gcPauses() - before.gcPauses() : -1,
                jvm ? round(after.gcPauseSeconds() - before.gcPauseSeconds(), 4) : -1,
                jvm ? round(after.gcPauseMaxSeconds() * 1000, 3) : -1,
                profile, connected, keyframes, List.copyOf(failures), jdk, commit);
    }

    /**
     * CPU seconds of this process (the generator itself): next to the node's, it shows whether
     * the generator had the headroom not to be the bottleneck.
     */
    private static double ownCpuSeconds() throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** Milliseconds this process spent in garbage collection so far. */
    private static long ownGcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    private static long sent(Map<ParticipantPlan, LoadParticipant> joined) throws Exception {
        long sent = 0;
        for (LoadParticipant participant : joined.values()) {
            sent += participant.sentCounters()[0];
        }
        return sent;
    }

    private static double millis(double micros) {
        return micros < 0 ? -1 : round(micros / 1000.0, 3);
    }

    private static double round(double value, int places) {
        double scale = Math.pow(10, places);
        return Math.round(value * scale) / scale;
    }
}
