package org.adam.sfu.bench.load;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of the load generator. Every run is bounded: the window at most
 * {@link #MAX_DURATION}, at most {@link #MAX_PARTICIPANTS} simulated participants per run and
 * {@link #MAX_RUNS} runs per invocation, whatever is asked.
 */
public record LoadOptions(List<String> scenarios, List<Integer> fanOut, int rooms, int roomSize, int simulcastRoom,
                          Duration duration, Duration warmup, Path nodeJar, int httpPort, int mediaPort,
                          URI signalUrl, long nodePid, Set<InetAddress> allowedTargets, int eventLoops, Path out,
                          Path nodeLog, String sfu, URI janusUrl, List<ClusterMember> moreNodes, String label) {

    /** Another node of the cluster under test, measured by its pid (cascade runs). */
    public record ClusterMember(URI signalUrl, long pid) {
    }

    public static final Duration MAX_DURATION = Duration.ofSeconds(120);
    public static final Duration MAX_WARMUP = Duration.ofSeconds(30);
    /** The largest fan-out: one publisher and 400 subscribers. */
    public static final int MAX_PARTICIPANTS = 401;
    public static final int MAX_RUNS = 12;

    static final String USAGE = """
            usage: loadgen [options]
              --scenario fan-out|many-rooms|simulcast|cascade|all   (repeatable or comma-separated;
                                      default fan-out; cascade: the fan-out sizes with --more-nodes)
              --fan-out K[,K...]      subscribers of the one publisher, one run per K (default 10,50)
              --rooms R --room-size P many-rooms: R rooms of P, everyone publishing (default 4 x 4)
              --simulcast-room N      simulcast: one room of N, 1 simulcast publisher (default 20)
              --duration 10s          measured window per run (at most 120s)
              --warmup 2s             after every receiver hears all its streams (at most 30s)
              --node-jar PATH         start this node jar on 127.0.0.1 (default cluster-node/target/sfu-node.jar)
              --http-port 18480 --media-port 41480   ports of the node it starts
              --signal-url URL --node-pid PID        measure a running node instead (loopback only)
              --more-nodes URL=PID[,URL=PID...]     with --signal-url: further nodes of the same
                                      cluster; participants after the first are spread over all
                                      nodes in turn, CPU and counters are summed over them
              --sfu ours|janus        the SFU under test (default ours)
              --janus-url URL --node-pid PID         with --sfu janus: its HTTP API, e.g.
                                      http://10.250.0.1:8088/janus, and its pid (for CPU figures)
              --allow-target ADDR     also allow this address literal (a namespace the benchmark made)
              --event-loops 2         client event-loop threads (at most 4)
              --label NAME            the SFU's name in the results (default ours, janus or
                                      ours-N-nodes), to tell configurations apart
              --out PATH              results JSON (default bench/target/load/results.json)
              --node-log PATH         output of the node it starts (default bench/target/load/node.log)
            """;

    public static LoadOptions parse(String[] args) {
        List<String> scenarios = new ArrayList<>();
        List<Integer> fanOut = List.of(10, 50);
        int rooms = 4;
        int roomSize = 4;
        int simulcastRoom = 20;
        Duration duration = Duration.ofSeconds(10);
        Duration warmup = Duration.ofSeconds(2);
        Path nodeJar = Path.of("cluster-node/target/sfu-node.jar");
        int httpPort = 18480;
        int mediaPort = 41480;
        URI signalUrl = null;
        long nodePid = -1;
        Set<InetAddress> allowed = new HashSet<>();
        int loops = 2;
        Path out = Path.of("bench/target/load/results.json");
        Path nodeLog = Path.of("bench/target/load/node.log");
        String sfu = "ours";
        URI janusUrl = null;
        List<ClusterMember> moreNodes = new ArrayList<>();
        String label = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--scenario" -> {
                    for (String s : value.split(",")) {
                        if (s.equals("all")) {
                            scenarios.addAll(List.of("fan-out", "many-rooms", "simulcast"));
                        } else if (List.of("fan-out", "many-rooms", "simulcast", "cascade").contains(s)) {
                            scenarios.add(s);
                        } else {
                            throw new IllegalArgumentException("unknown scenario " + s);
                        }
                    }
                }
                case "--fan-out" -> {
                    List<Integer> ks = new ArrayList<>();
                    for (String k : value.split(",")) {
                        ks.add(positive(flag, k));
                    }
                    fanOut = List.copyOf(ks);
                }
                case "--rooms" -> rooms = positive(flag, value);
                case "--room-size" -> roomSize = positive(flag, value);
                case "--simulcast-room" -> simulcastRoom = positive(flag, value);
                case "--duration" -> duration = duration(flag, value);
                case "--warmup" -> warmup = duration(flag, value);
                case "--node-jar" -> nodeJar = Path.of(value);
                case "--http-port" -> httpPort = positive(flag, value);
                case "--media-port" -> mediaPort = positive(flag, value);
                case "--signal-url" -> signalUrl = URI.create(value);
                case "--node-pid" -> nodePid = positive(flag, value);
                case "--allow-target" -> allowed.add(TargetPolicy.literal(value));
                case "--event-loops" -> loops = Math.min(4, positive(flag, value));
                case "--out" -> out = Path.of(value);
                case "--node-log" -> nodeLog = Path.of(value);
                case "--sfu" -> {
                    if (!List.of("ours", "janus").contains(value)) {
                        throw new IllegalArgumentException("--sfu is ours or janus, not " + value);
                    }
                    sfu = value;
                }
                case "--janus-url" -> janusUrl = URI.create(value);
                case "--label" -> label = value;
                case "--more-nodes" -> {
                    for (String member : value.split(",")) {
                        String[] urlAndPid = member.split("=", 2);
                        if (urlAndPid.length != 2) {
                            throw new IllegalArgumentException("--more-nodes takes URL=PID, not " + member);
                        }
                        moreNodes.add(new ClusterMember(URI.create(urlAndPid[0]), positive(flag, urlAndPid[1])));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (scenarios.isEmpty()) {
            scenarios.add("fan-out");
        }
        if (sfu.equals("janus")) {
            if (janusUrl == null || nodePid < 0 || signalUrl != null) {
                throw new IllegalArgumentException("--sfu janus needs --janus-url and --node-pid (and no --signal-url)");
            }
        } else if (janusUrl != null) {
            throw new IllegalArgumentException("--janus-url needs --sfu janus");
        } else if ((signalUrl == null) != (nodePid < 0)) {
            throw new IllegalArgumentException("--signal-url and --node-pid go together");
        }
        if (!moreNodes.isEmpty() && (signalUrl == null || sfu.equals("janus"))) {
            throw new IllegalArgumentException("--more-nodes goes with --signal-url (our nodes)");
        }
        if (scenarios.contains("cascade") && moreNodes.isEmpty()) {
            throw new IllegalArgumentException("--scenario cascade needs --more-nodes");
        }
        if (duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("--duration is at most " + MAX_DURATION.toSeconds() + "s");
        }
        if (warmup.compareTo(MAX_WARMUP) > 0) {
            throw new IllegalArgumentException("--warmup is at most " + MAX_WARMUP.toSeconds() + "s");
        }
        for (int k : fanOut) {
            bounded("--fan-out", k + 1);
        }
        bounded("--rooms x --room-size", rooms * roomSize);
        bounded("--simulcast-room", simulcastRoom);
        int runs = (scenarios.contains("fan-out") ? fanOut.size() : 0)
                + (scenarios.contains("cascade") ? fanOut.size() : 0)
                + (int) scenarios.stream().filter(s -> !s.equals("fan-out") && !s.equals("cascade")).count();
        if (runs > MAX_RUNS) {
            throw new IllegalArgumentException("at most " + MAX_RUNS + " runs per invocation");
        }
        return new LoadOptions(List.copyOf(scenarios), fanOut, rooms, roomSize, simulcastRoom, duration, warmup,
                nodeJar, httpPort, mediaPort, signalUrl, nodePid, Set.copyOf(allowed), loops, out, nodeLog, sfu,
                janusUrl, List.copyOf(moreNodes), label);
    }

    private static void bounded(String what, int participants) {
        if (participants > MAX_PARTICIPANTS) {
            throw new IllegalArgumentException(what + ": at most " + MAX_PARTICIPANTS + " participants per run");
        }
    }

    private static int positive(String flag, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " needs a positive number, not " + value);
    }

    /** {@code 10s}, {@code 500ms} or plain seconds. */
    private static Duration duration(String flag, String value) {
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            return Duration.ofSeconds(Long.parseLong(value.endsWith("s") ? value.substring(0, value.length() - 1)
                    : value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a duration such as 10s, not " + value);
        }
    }
}
