package org.adam.sfu.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

import javax.net.ssl.SSLContext;

import org.adam.sfu.testsupport.LeakReports;

/**
 * A real SFU node JVM started from the shaded jar, as an operator would run it. Its output is
 * kept (and echoed with a prefix) so tests can assert on what the node logged. Nodes run Netty's
 * leak detector (advanced level unless -Dsfu.node.leak-detection says otherwise), and
 * {@link #close} fails if a node reported a leak, which fails the teardown of the test class that
 * ran it. A node whose HTTP host is not loopback is started with `--insecure-http` unless the test
 * gives it TLS ({@link #startTls}).
 */
public final class NodeProcess implements AutoCloseable {

    private final String nodeId;
    private final String httpHost;
    private final int httpPort;
    private final int mediaPort;
    /** Trusts the node's certificate; null for a plain HTTP node. */
    private final Callable<SSLContext> trust;
    private volatile HttpClient http;
    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final Thread pump;

    private static final String LEAK_DETECTION_LEVEL = "io.netty.leakDetection.level";

    private NodeProcess(String nodeId, String httpHost, int httpPort, int mediaPort, Callable<SSLContext> trust,
                        Process process) {
        this.nodeId = nodeId;
        this.httpHost = httpHost;
        this.httpPort = httpPort;
        this.mediaPort = mediaPort;
        this.trust = trust;
        this.process = process;
        this.pump = new Thread(this::pumpOutput, "node-output-" + nodeId);
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * @param extraArgs node options, overriding the loopback defaults; those starting with -D are
     *                  JVM system properties (any `sfu.*` setting)
     */
    public static NodeProcess start(String nodeId, int httpPort, int mediaPort, String... extraArgs)
            throws IOException, InterruptedException {
        return start(List.of(), nodeId, httpPort, mediaPort, null, extraArgs);
    }

    /**
     * A node on a {@link NatLab} host (its own namespace), HTTP and media on the host's address;
     * the test JVM must have a route to that address to see it become healthy.
     */
    public static NodeProcess startOn(LabHost host, String nodeId, int httpPort, int mediaPort, String... extraArgs)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--http-host", host.address(), "--media-host", host.address()));
        args.addAll(List.of(extraArgs));
        return start(host.prefix(), nodeId, httpPort, mediaPort, null, args.toArray(String[]::new));
    }

    /**
     * A node whose HTTP port speaks TLS (its options say how: `--tls-cert`/`--tls-key` or `--tls
     * self-signed`); {@link #url} and {@link #signalUrl} are https and wss.
     *
     * @param trust an SSLContext that trusts the node's certificate, asked again until it gives one
     *              (a self-signed certificate exists only once the node has made it)
     */
    public static NodeProcess startTls(String nodeId, int httpPort, int mediaPort, Callable<SSLContext> trust,
                                       String... extraArgs) throws IOException, InterruptedException {
        return start(List.of(), nodeId, httpPort, mediaPort, trust, extraArgs);
    }

    /** @param prefix what runs the JVM (`ip netns exec ...`), or nothing */
    private static NodeProcess start(List<String> prefix, String nodeId, int httpPort, int mediaPort,
                                     Callable<SSLContext> trust, String... extraArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java(), "-Xmx512m"));
        List<String> options = new ArrayList<>();
        for (String arg : extraArgs) {
            (arg.startsWith("-D") ? command : options).add(arg);
        }
        if (command.stream().noneMatch(arg -> arg.startsWith("-D" + LEAK_DETECTION_LEVEL + "="))) {
            // Advanced: one buffer in 128 tracked, with its access records, so a leak on the packet
            // path shows within a few hundred packets. Paranoid (every buffer, every access
            // recorded) slowed the media path enough that SingleNodeCallTest's browser calls
            // failed 3 of 3 on two busy cores (and passed 3 of 3 at advanced);
            // -Dsfu.node.leak-detection=paranoid on the test command asks for it anyway.
            command.add("-D" + LEAK_DETECTION_LEVEL + "=" + System.getProperty("sfu.node.leak-detection", "advanced"));
        }
        command.addAll(List.of("-jar", jar(),
                "--node-id", nodeId,
                "--http-host", "127.0.0.1", "--http-port", Integer.toString(httpPort),
                "--media-host", "127.0.0.1", "--media-port", Integer.toString(mediaPort)));
        if (!options.contains("--data-dir")) {
            // A fresh data directory per node unless the test keeps one across a restart.
            command.addAll(List.of("--data-dir",
                    java.nio.file.Files.createTempDirectory("sfu-node-" + nodeId + "-").toString()));
        }
        command.addAll(options);
        int hostOption = options.indexOf("--http-host");
        String httpHost = hostOption >= 0 ? options.get(hostOption + 1) : "127.0.0.1";
        if (trust == null && !isLoopback(httpHost) && !options.contains("--insecure-http")) {
            // Test namespaces' addresses are no public network: plain HTTP there is what the test wants.
            command.add("--insecure-http");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        NodeProcess node = new NodeProcess(nodeId, httpHost, httpPort, mediaPort, trust, process);
        try {
            node.awaitHealthy(Duration.ofSeconds(60));
        } catch (RuntimeException | InterruptedException e) {
            // A node that never became healthy is nobody's to close: stop it here.
            process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            throw e;
        }
        return node;
    }

    /** What a node run to its end (one that refuses to start) exited with and printed. */
    public record Exit(int code, List<String> output) {
        public String text() {
            return String.join("\n", output);
        }
    }

    /**
     * Runs the node jar with exactly {@code options} (no defaults added) and waits for it to exit
     * by itself; fails if it is still running after {@code timeout}.
     */
    public static Exit runToExit(Duration timeout, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", jar()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.add(line);
                    System.out.println("[run-to-exit] " + line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "node-run-to-exit");
        pump.setDaemon(true);
        pump.start();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            throw new AssertionError("node with " + List.of(options) + " still ran after " + timeout);
        }
        pump.join(5_000);
        synchronized (output) {
            return new Exit(process.exitValue(), List.copyOf(output));
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String jar() {
        String jar = System.getProperty("sfu.node.jar");
        if (jar == null || !Path.of(jar).toFile().isFile()) {
            throw new IllegalStateException("node jar not found at " + jar + " (build cluster-node first)");
        }
        return jar;
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress(); // test hosts are literals or localhost
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                System.out.println("[" + nodeId + "] " + line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                List<String> printed = output();
                throw new IllegalStateException("node " + nodeId + " exited with " + process.exitValue() + ":\n"
                        + String.join("\n", printed.subList(Math.max(0, printed.size() - 40), printed.size())));
            }
            try {
                HttpResponse<String> response = http().send(HttpRequest.newBuilder(URI.create(url("/healthz")))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException | IllegalStateException notYet) {
                // still starting (or its certificate not made yet)
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("node " + nodeId + " not healthy within " + timeout);
    }

    /**
     * A client for the node's HTTP port; for a TLS node it trusts what {@code trust} trusts.
     *
     * @throws IllegalStateException while a TLS node's trust cannot be built yet
     */
    public HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
            if (trust != null) {
                try {
                    builder.sslContext(trust.call());
                } catch (Exception e) {
                    throw new IllegalStateException("no trust for node " + nodeId + " yet: " + e.getMessage(), e);
                }
            }
            client = builder.build();
            http = client;
        }
        return client;
    }

    private String urlHost() {
        return httpHost.contains(":") ? "[" + httpHost + "]" : httpHost;
    }

    public String url(String path) {
        return (trust != null ? "https://" : "http://") + urlHost() + ":" + httpPort + path;
    }

    public String signalUrl() {
        return (trust != null ? "wss://" : "ws://") + urlHost() + ":" + httpPort + "/signal";
    }

    public int mediaPort() {
        return mediaPort;
    }

    public String nodeId() {
        return nodeId;
    }

    /** CPU time (user + system) the node JVM has used so far, from /proc. */
    public java.time.Duration cpuTime() throws IOException {
        String stat = java.nio.file.Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
        return java.time.Duration.ofMillis(ticks * 10); // USER_HZ is 100 on Linux
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** Waits, at most {@code timeout}, for an output line that contains every one of {@code fragments}. */
    public void awaitLogged(Duration timeout, String... fragments) throws InterruptedException {
        java.util.function.Predicate<String> wanted = line -> java.util.Arrays.stream(fragments).allMatch(line::contains);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (output().stream().noneMatch(wanted)) {
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("node " + nodeId + " logged no line with " + java.util.Arrays.toString(fragments)
                        + " within " + timeout + ":\n" + String.join("\n", output()));
            }
            Thread.sleep(100); // poll interval of a deadline-bounded wait
        }
    }

    public boolean logged(String fragment) {
        return output().stream().anyMatch(line -> line.contains(fragment));
    }

    /** SIGKILL: the node gets no chance to leave the cluster or close anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Waits for the node JVM to exit by itself (after a drain). */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The value of one series of the node's Prometheus /metrics, e.g. {@code sfu_participants{node="a"}}. */
    public double metric(String series) throws IOException, InterruptedException {
        String text = http().send(HttpRequest.newBuilder(URI.create(url("/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series + " in /metrics:\n" + text);
    }

    /** Waits up to 5 s for {@code series} to read {@code expected} (gauges the node updates each second). */
    public void awaitMetric(String series, double expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        double value = metric(series);
        while (value != expected && System.nanoTime() < deadline) {
            Thread.sleep(200); // the poll interval of a deadline-bounded wait
            value = metric(series);
        }
        org.assertj.core.api.Assertions.assertThat(value).as(series).isEqualTo(expected);
    }

    public int httpPort() {
        return httpPort;
    }

    /**
     * Stops the node (SIGTERM, then SIGKILL after 15 s) and fails if it reported a Netty buffer
     * leak while it ran.
     */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        pump.join(5_000); // the last lines the node wrote
        List<String> leaks = LeakReports.in(output());
        if (!leaks.isEmpty()) {
            throw new AssertionError("node " + nodeId + " reported Netty buffer leaks (the node's output above has "
                    + "their access records):\n" + String.join("\n", leaks));
        }
    }
}
