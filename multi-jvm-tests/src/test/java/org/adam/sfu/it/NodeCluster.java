package org.adam.sfu.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Several real node JVMs forming one Pekko cluster on loopback, and their admin HTTP API. */
public final class NodeCluster implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final List<NodeProcess> nodes;

    private NodeCluster(List<NodeProcess> nodes) {
        this.nodes = nodes;
    }

    /** Starts {@code ids.size()} nodes; ports are {@code basePort + i} (HTTP), +100 (media), +200 (cluster). */
    /**
     * A node option for clusters whose test is not about failure detection: seven browser pages
     * and three node JVMs on two cores can starve heartbeats past the nodes' 2 s acceptable pause,
     * and a healthy node is then downed in the middle of a test about something else.
     */
    static final String TOLERANT_FAILURE_DETECTOR = "-Dpekko.cluster.failure-detector.acceptable-heartbeat-pause=6s";

    public static NodeCluster start(int basePort, List<String> ids, String... extraArgs) throws Exception {
        String seeds = "127.0.0.1:" + (basePort + 200) + ",127.0.0.1:" + (basePort + 201);
        List<NodeProcess> nodes = new ArrayList<>();
        List<Thread> starters = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            int index = i;
            nodes.add(null);
            Thread starter = new Thread(() -> {
                try {
                    List<String> args = new ArrayList<>(List.of("--cluster-port", Integer.toString(basePort + 200 + index),
                            "--seeds", seeds));
                    args.addAll(List.of(extraArgs));
                    NodeProcess node = NodeProcess.start(ids.get(index), basePort + index, basePort + 100 + index,
                            args.toArray(new String[0]));
                    synchronized (nodes) {
                        nodes.set(index, node);
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            starter.start();
            starters.add(starter);
        }
        for (Thread starter : starters) {
            starter.join();
        }
        NodeCluster cluster = new NodeCluster(nodes);
        if (!failures.isEmpty()) {
            cluster.close();
            throw failures.get(0);
        }
        cluster.awaitMembersUp(ids.size(), Duration.ofSeconds(60));
        return cluster;
    }

    public NodeProcess node(int index) {
        return nodes.get(index);
    }

    public List<NodeProcess> nodes() {
        return nodes;
    }

    public void awaitMembersUp(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (NodeProcess node : nodes) {
                if (node == null || !node.isAlive()) {
                    continue;
                }
                JsonNode cluster = get(node, "/admin/cluster");
                long up = 0;
                for (JsonNode member : cluster.path("members")) {
                    if (member.path("status").asText().equals("Up")) {
                        up++;
                    }
                }
                all &= up == count && cluster.path("unreachable").isEmpty();
            }
            if (all) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("cluster did not reach " + count + " members Up within " + timeout);
    }

    public static JsonNode get(NodeProcess node, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node.url(path)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /**
     * {@code /admin/rooms/{id}}, asked again (within 10 s) while the room does not answer in its
     * short wait ({@code 503 unavailable}: a busy or re-homing room; the API leaves retrying to its caller).
     */
    public static JsonNode roomDetail(NodeProcess node, String roomId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode detail = get(node, "/admin/rooms/" + roomId);
        while (detail.path("error").asText().equals("unavailable") && System.nanoTime() < deadline) {
            Thread.sleep(200); // poll interval
            detail = get(node, "/admin/rooms/" + roomId);
        }
        return detail;
    }

    public static HttpResponse<String> post(NodeProcess node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.url(path))).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The admin id of the room called {@code room}, as /admin/rooms lists it. */
    public static String roomId(NodeProcess node, String room) throws Exception {
        for (JsonNode r : get(node, "/admin/rooms").path("rooms")) {
            if (r.path("room").asText().equals(room)) {
                return r.path("id").asText();
            }
        }
        throw new AssertionError("room " + room + " not listed by node " + node.nodeId());
    }

    /** Stops every node, then fails with the first node's failure (a leak it reported), if any. */
    @Override
    public void close() throws Exception {
        AssertionError failure = null;
        for (NodeProcess node : nodes) {
            if (node != null) {
                try {
                    node.close();
                } catch (AssertionError e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
