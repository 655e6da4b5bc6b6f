package org.adam.sfu.bench.load.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The SFU being measured: a node JVM this process started from the shaded jar on loopback (and
 * stops again), a running node given by its signalling URL and pid, or another SFU's process
 * given by its pid alone. CPU time comes from {@code /proc/<pid>/stat}, heap and GC pauses from
 * our node's Prometheus {@code /metrics} (another SFU has none: those figures are -1).
 */
public final class NodeUnderTest implements AutoCloseable {

    /** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on every Linux we run on). */
    private static final double USER_HZ = 100.0;

    private final long pid;
    private final URI httpBase;
    private final Process process;
    /** The other members of the node's cluster, measured with it (cascade runs). */
    private final List<NodeUnderTest> peers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private NodeUnderTest(long pid, URI httpBase, Process process) {
        this(pid, httpBase, process, List.of());
    }

    private NodeUnderTest(long pid, URI httpBase, Process process, List<NodeUnderTest> peers) {
        this.pid = pid;
        this.httpBase = httpBase;
        this.process = process;
        this.peers = List.copyOf(peers);
    }

    /** This node measured together with the other members of its cluster: CPU and counters summed. */
    public NodeUnderTest withPeers(List<NodeUnderTest> others) {
        return new NodeUnderTest(pid, httpBase, process, others);
    }

    /** The /signal URLs of this node and its peers, this node's first. */
    public List<URI> signalUrls() {
        List<URI> urls = new ArrayList<>(List.of(signalUrl()));
        peers.forEach(peer -> urls.add(peer.signalUrl()));
        return urls;
    }

    /**
     * Starts {@code java -jar nodeJar} on 127.0.0.1 with the given ports, its output to
     * {@code log}, and waits for {@code /healthz}. Room and node limits are raised to the
     * generator's own bounds so they do not cut a run short.
     */
    public static NodeUnderTest start(Path nodeJar, int httpPort, int mediaPort, Path log, List<String> jvmOptions)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(nodeJar)) {
            throw new IllegalStateException("node jar not found at " + nodeJar + " (build cluster-node first)");
        }
        Path dataDir = Files.createTempDirectory("sfu-load-node-");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dsfu.room.max-participants=1000", "-Dsfu.cluster.max-participants-per-node=1000"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", nodeJar.toString(),
                "--node-id", "load-node",
                "--http-host", "127.0.0.1", "--http-port", Integer.toString(httpPort),
                "--media-host", "127.0.0.1", "--media-port", Integer.toString(mediaPort),
                "--auth", "open",
                "--data-dir", dataDir.toString()));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        NodeUnderTest node = new NodeUnderTest(process.pid(), URI.create("http://127.0.0.1:" + httpPort), process);
        node.awaitHealthy(Duration.ofSeconds(60));
        return node;
    }

    /** A node someone else runs: measured, never stopped. */
    public static NodeUnderTest attach(long pid, URI httpBase) throws InterruptedException {
        NodeUnderTest node = new NodeUnderTest(pid, httpBase, null);
        node.awaitHealthy(Duration.ofSeconds(10));
        return node;
    }

    /** Another SFU's process (e.g. Janus), measured by CPU time only and never stopped. */
    public static NodeUnderTest process(long pid) {
        if (!Files.isReadable(Path.of("/proc/" + pid + "/stat"))) {
            throw new IllegalStateException("no process " + pid + " to measure");
        }
        return new NodeUnderTest(pid, null, null);
    }

    public URI signalUrl() {
        return URI.create("ws://" + httpBase.getHost() + ":" + httpBase.getPort() + "/signal");
    }

    public long pid() {
        return pid;
    }

    private void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("the node exited with " + process.exitValue());
            }
            try {
                if (get("/healthz").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the node was not healthy within " + timeout);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(httpBase.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** User plus system CPU seconds the node process has used so far (fields 14 and 15 of stat). */
    public double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / USER_HZ;
    }

    /** CPU, heap, GC and forwarding counters now, summed over the node and its peers. */
    public NodeSnapshot snapshot() throws IOException, InterruptedException {
        NodeSnapshot sum = ownSnapshot();
        for (NodeUnderTest peer : peers) {
            NodeSnapshot other = peer.ownSnapshot();
            sum = new NodeSnapshot(sum.atNanos(), sum.cpuSeconds() + other.cpuSeconds(),
                    sum.heapUsedBytes() + other.heapUsedBytes(), sum.gcPauses() + other.gcPauses(),
                    sum.gcPauseSeconds() + other.gcPauseSeconds(),
                    Math.max(sum.gcPauseMaxSeconds(), other.gcPauseMaxSeconds()),
                    sum.forwardedPackets() + other.forwardedPackets(),
                    sum.receivedPackets() + other.receivedPackets(), sum.jvmMeters() && other.jvmMeters());
        }
        return sum;
    }

    private NodeSnapshot ownSnapshot() throws IOException, InterruptedException {
        double cpu = cpuSeconds();
        if (httpBase == null) {
            return new NodeSnapshot(System.nanoTime(), cpu, -1, -1, -1, -1, -1, -1, false);
        }
        PrometheusText metrics = PrometheusText.parse(get("/metrics").body());
        return new NodeSnapshot(System.nanoTime(), cpu,
                metrics.sum("jvm_memory_used_bytes", "area=\"heap\""),
                metrics.sum("jvm_gc_pause_seconds_count", ""),
                metrics.sum("jvm_gc_pause_seconds_sum", ""),
                metrics.max("jvm_gc_pause_seconds_max", ""),
                metrics.sum("sfu_rtp_forwarded_packets_total", ""),
                metrics.sum("sfu_rtp_received_packets_total", ""),
                metrics.has("jvm_gc_pause_seconds_count") || metrics.has("jvm_memory_used_bytes"));
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
