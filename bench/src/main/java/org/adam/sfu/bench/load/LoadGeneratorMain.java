package org.adam.sfu.bench.load;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.adam.sfu.bench.load.client.ClientRuntime;
import org.adam.sfu.bench.load.node.NodeUnderTest;
import org.adam.sfu.bench.load.scenario.RunFigures;
import org.adam.sfu.bench.load.scenario.Scenario;
import org.adam.sfu.bench.load.scenario.ScenarioRunner;
import org.adam.sfu.bench.load.signal.JanusSignalling;
import org.adam.sfu.bench.load.signal.ProtocolV1Signalling;
import org.adam.sfu.bench.load.signal.SfuSignalling;
import org.adam.sfu.bench.load.signal.SpreadSignalling;

/**
 * The load generator: starts (or attaches to) a node on loopback, or measures another SFU
 * (Janus) it is given, runs the chosen scenarios with simulated WebRTC participants, and writes
 * one JSON object per run to results.json.
 */
public final class LoadGeneratorMain {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadGeneratorMain() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("loadgen: " + e.getMessage());
            }
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        List<RunFigures> runs = run(options);
        write(options, runs, String.join(" ", args));
        boolean failed = runs.stream().anyMatch(r -> !r.failures().isEmpty());
        System.exit(failed ? 1 : 0);
    }

    /** Runs every scenario of {@code options} in turn on one node. */
    public static List<RunFigures> run(LoadOptions options) throws Exception {
        TargetPolicy targets = new TargetPolicy(options.allowedTargets());
        String tag = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : options.scenarios()) {
            switch (name) {
                case "fan-out" -> options.fanOut().forEach(k -> scenarios.add(Scenario.fanOut(k, tag)));
                case "many-rooms" -> scenarios.add(Scenario.manyRooms(options.rooms(), options.roomSize(), tag));
                case "simulcast" -> scenarios.add(Scenario.simulcast(options.simulcastRoom(), tag));
                case "cascade" -> options.fanOut().forEach(k -> scenarios.add(Scenario.cascade(k, tag)));
                default -> throw new IllegalArgumentException(name);
            }
        }
        List<RunFigures> runs = new ArrayList<>();
        ExecutorService offers = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "load-signalling");
            thread.setDaemon(true);
            return thread;
        });
        boolean janus = options.sfu().equals("janus");
        if (janus) {
            targets.check(options.janusUrl());
        }
        try (NodeUnderTest node = janus ? NodeUnderTest.process(options.nodePid())
                : options.signalUrl() != null ? attach(options, targets)
                : NodeUnderTest.start(options.nodeJar(), options.httpPort(), options.mediaPort(), options.nodeLog(),
                        List.of())) {
            URI sfuUrl = janus ? options.janusUrl() : node.signalUrl();
            targets.check(sfuUrl);
            SfuSignalling signalling = janus ? new JanusSignalling(options.janusUrl(), offers)
                    : ours(node, offers);
            try (ClientRuntime runtime = new ClientRuntime(options.eventLoops(), targets, clientAddress(sfuUrl))) {
                String label = options.label() != null ? options.label() : signalling.sfuName();
                runScenarios(options, scenarios, runs, new ScenarioRunner(runtime, signalling, label, node,
                        System.getProperty("java.vendor") + " " + Runtime.version(), gitCommit()));
            }
        } finally {
            offers.shutdownNow();
        }
        return runs;
    }

    private static void runScenarios(LoadOptions options, List<Scenario> scenarios, List<RunFigures> runs,
                                     ScenarioRunner runner) throws Exception {
        for (Scenario scenario : scenarios) {
            System.out.printf("loadgen: %s, %d publishers, %d subscribers, %d s ...%n", scenario.name(),
                    scenario.publishers(), scenario.subscribers(), options.duration().toSeconds());
            RunFigures figures = runner.run(scenario, options.warmup(), options.duration());
            System.out.println("loadgen: " + JSON.writeValueAsString(figures));
            runs.add(figures);
        }
    }

    /**
     * The local address the clients bind: the one this machine sends from towards the SFU
     * (127.0.0.1 for loopback, the load namespace's own address in the benchmark namespaces).
     * Connecting a UDP socket only looks the route up; nothing is sent.
     */
    static String clientAddress(URI sfuUrl) throws IOException {
        InetAddress sfu = TargetPolicy.literalOrLoopback(sfuUrl.getHost());
        if (sfu.isLoopbackAddress()) {
            return "127.0.0.1";
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(sfu, 9));
            return probe.getLocalAddress().getHostAddress();
        }
    }

    /** Our node, or with --more-nodes its whole cluster with participants spread over it. */
    private static SfuSignalling ours(NodeUnderTest node, ExecutorService offers) {
        List<URI> urls = node.signalUrls();
        if (urls.size() == 1) {
            return new ProtocolV1Signalling(urls.get(0), "neighbourhood://load", offers);
        }
        List<SfuSignalling> members = new ArrayList<>();
        urls.forEach(url -> members.add(new ProtocolV1Signalling(url, "neighbourhood://load", offers)));
        return new SpreadSignalling(members);
    }

    private static NodeUnderTest attach(LoadOptions options, TargetPolicy targets) throws InterruptedException {
        targets.check(options.signalUrl());
        java.net.URI http = java.net.URI.create("http://" + options.signalUrl().getHost() + ":"
                + options.signalUrl().getPort());
        NodeUnderTest first = NodeUnderTest.attach(options.nodePid(), http);
        if (options.moreNodes().isEmpty()) {
            return first;
        }
        List<NodeUnderTest> peers = new ArrayList<>();
        for (LoadOptions.ClusterMember member : options.moreNodes()) {
            targets.check(member.signalUrl());
            peers.add(NodeUnderTest.attach(member.pid(), java.net.URI.create("http://"
                    + member.signalUrl().getHost() + ":" + member.signalUrl().getPort())));
        }
        return first.withPeers(peers);
    }

    private static void write(LoadOptions options, List<RunFigures> runs, String command) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("measuredAt", Instant.now().toString());
        root.put("commit", gitCommit());
        root.put("jdk", System.getProperty("java.vendor") + " " + Runtime.version());
        root.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch"));
        root.put("command", "scripts/bench-load.sh " + command);
        ArrayNode array = root.putArray("runs");
        runs.forEach(run -> array.addPOJO(JSON.valueToTree(run)));
        Path out = options.out().toAbsolutePath();
        Files.createDirectories(out.getParent());
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        System.out.println("loadgen: wrote " + out);
    }

    /** {@code git rev-parse HEAD} of the working directory, or "unknown" outside a checkout. */
    static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).trim();
            return git.waitFor() == 0 ? out : "unknown";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }
}
