package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The node's HTTP port under requests from places it should not trust: web pages on other
 * origins (and on its own, which are not the operator without the token), bodies browsers send
 * cross-site without asking, frames too large to read, and a client that never reads what it
 * is sent. One loopback node without a configured token serves every test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileHttpTest {

    private static final int HTTP = 19260;
    private static final int MEDIA = 42260;
    private static final String OWN = "http://127.0.0.1:" + HTTP;
    private static final String EVIL = "http://evil.example";
    private static final String NEIGHBOURHOOD = "neighbourhood://hostile";
    private static final String MEMBER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
    private static final String SET_MEMBERS = "mutation($n: String!, $m: [String!]!) {"
            + " sfuSetMembers(neighbourhoodUrl: $n, members: $m) { members } }";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP_CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private static Path dataDir;
    private static NodeProcess node;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("sfu-node-hostile-");
        node = NodeProcess.start("hostile", HTTP, MEDIA, "--data-dir", dataDir.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private static Path tokenFile() {
        return dataDir.resolve("hostile").resolve("admin-token");
    }

    private static String token() throws Exception {
        return Files.readString(tokenFile()).trim();
    }

    private static HttpResponse<String> post(String path, String contentType, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url(path)))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP_CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url(path))).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP_CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String graphqlBody(String query, Map<String, Object> variables) throws Exception {
        return JSON.writeValueAsString(Map.of("query", query, "variables", variables));
    }

    private static List<String> membersList() throws Exception {
        HttpResponse<String> response = post("/graphql", "application/json", graphqlBody(
                "query($n: String!) { sfuNeighbourhood(neighbourhoodUrl: $n) { members } }", Map.of("n", NEIGHBOURHOOD)));
        List<String> out = new java.util.ArrayList<>();
        JSON.readTree(response.body()).path("data").path("sfuNeighbourhood").path("members")
                .forEach(m -> out.add(m.asText()));
        return out;
    }

    private static void assertJsonError(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).as(response.body()).isNotBlank();
        assertThat(body.path("message").asText()).as(response.body()).isNotBlank();
    }

    private static void setMembersAsOperator(List<String> members) throws Exception {
        HttpResponse<String> set = post("/graphql", "application/json",
                graphqlBody(SET_MEMBERS, Map.of("n", NEIGHBOURHOOD, "m", members)));
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(JSON.readTree(set.body()).path("errors").isMissingNode()).as(set.body()).isTrue();
    }

    @Test
    @Order(1)
    void crossSitePostsAreRefusedAndChangeNothing() throws Exception {
        setMembersAsOperator(List.of(MEMBER));
        String emptyTheMembers = graphqlBody(SET_MEMBERS, Map.of("n", NEIGHBOURHOOD, "m", List.of()));

        // What a page on another site can send without a preflight: text/plain, with its Origin.
        assertJsonError(post("/graphql", "text/plain;charset=UTF-8", emptyTheMembers, "Origin", EVIL), 403);
        // Another origin is refused whatever the body says it is.
        assertJsonError(post("/graphql", "application/json", emptyTheMembers, "Origin", EVIL), 403);
        assertJsonError(post("/admin/nodes/hostile/drain", null, "", "Origin", EVIL), 403);
        // Bodies a form or a no-cors fetch can carry are refused even without an Origin.
        assertJsonError(post("/graphql", "text/plain", emptyTheMembers), 415);
        assertJsonError(post("/graphql", "application/x-www-form-urlencoded", "query=" + emptyTheMembers), 415);
        assertJsonError(post("/graphql", "multipart/form-data; boundary=x",
                "--x\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\n" + emptyTheMembers + "\r\n--x--\r\n"), 415);
        assertThat(membersList()).containsExactly(MEMBER);

        // JSON from a client without an Origin (curl, the tests' own client) still works, and
        // from the node's own pages for what needs no operator.
        HttpResponse<String> own = post("/graphql", "application/json",
                graphqlBody("{ callNonce }", Map.of()), "Origin", OWN);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(JSON.readTree(own.body()).path("data").path("callNonce").asText()).isNotBlank();
        assertThat(node.isAlive()).isTrue();
    }

    @Test
    @Order(2)
    void aPageIsNotTheOperatorWithoutTheGeneratedToken() throws Exception {
        setMembersAsOperator(List.of(MEMBER));
        String emptyTheMembers = graphqlBody(SET_MEMBERS, Map.of("n", NEIGHBOURHOOD, "m", List.of()));

        // The node's own origin passes the origin check, but a page is never the operator by address.
        HttpResponse<String> fromPage = post("/graphql", "application/json", emptyTheMembers, "Origin", OWN);
        assertThat(fromPage.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(fromPage.body()).path("errors").path(0).path("extensions").path("code").asText())
                .as(fromPage.body()).isEqualTo("forbidden");
        assertThat(membersList()).containsExactly(MEMBER);
        assertJsonError(get("/admin/rooms", "Origin", OWN), 401);
        // A page whose name resolves to loopback (DNS rebinding) sends no Origin on a GET, but its Host.
        Map.Entry<RawSocketClient.Head, String> rebound = RawSocketClient.exchange(HTTP,
                "GET /admin/rooms HTTP/1.1\r\nHost: evil.example:" + HTTP + "\r\nConnection: close\r\n\r\n");
        assertThat(rebound.getKey().status()).as(rebound.getValue()).isEqualTo(401);

        // With the token the node generated and keeps in its data directory, it is.
        String token = token();
        HttpResponse<String> withToken = post("/graphql", "application/json", emptyTheMembers,
                "Origin", OWN, "Authorization", "Bearer " + token);
        assertThat(JSON.readTree(withToken.body()).path("errors").isMissingNode()).as(withToken.body()).isTrue();
        assertThat(membersList()).isEmpty();
        assertThat(get("/admin/rooms", "Origin", OWN, "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        assertJsonError(get("/admin/rooms", "Authorization", "Bearer not-the-token", "Origin", OWN), 401);
        // Loopback clients without an Origin (curl, the bridge executor) are still the operator.
        assertThat(get("/admin/rooms").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void webSocketUpgradesFromOtherOriginsAreRefused() throws Exception {
        for (String path : List.of("/signal", "/graphql", "/bridge")) {
            String subprotocol = path.equals("/graphql") ? "graphql-transport-ws" : null;
            Map.Entry<RawSocketClient.Head, String> refused = RawSocketClient.exchange(HTTP,
                    RawSocketClient.upgrade(HTTP, path, EVIL, subprotocol));
            assertThat(refused.getKey().status()).as(path + " from " + EVIL + ": " + refused.getValue()).isEqualTo(403);
            assertThat(JSON.readTree(refused.getValue()).path("error").asText()).isNotBlank();
            for (String origin : new String[] {null, OWN}) {
                try (RawSocketClient client = RawSocketClient.connect(HTTP, 0)) {
                    client.write(RawSocketClient.upgrade(HTTP, path, origin, subprotocol));
                    assertThat(client.readHead().status()).as(path + " from " + origin).isEqualTo(101);
                }
            }
        }
        // The web client's own pages reach /signal, under the loopback names too.
        for (String origin : List.of(OWN, "http://localhost:" + HTTP)) {
            try (RawSocketClient client = RawSocketClient.connect(HTTP, 0)) {
                client.write(RawSocketClient.upgrade(HTTP, "/signal", origin, null));
                assertThat(client.readHead().status()).isEqualTo(101);
                assertThat(client.readFrame(Duration.ofSeconds(5)).text()).contains("\"hello\"");
            }
        }
        // A bridge opened from a page needs the token, even from the node's own origin.
        try (RawSocketClient bridge = RawSocketClient.connect(HTTP, 0)) {
            bridge.write(RawSocketClient.upgrade(HTTP, "/bridge", OWN, null));
            assertThat(bridge.readHead().status()).isEqualTo(101);
            bridge.sendFrame(true, RawSocketClient.Frame.TEXT,
                    "{\"type\":\"bridge-hello\",\"neighbourhoods\":[\"neighbourhood://x\"]}".getBytes(StandardCharsets.UTF_8));
            RawSocketClient.Frame answer = bridge.readFrame(Duration.ofSeconds(5));
            assertThat(answer.opcode()).as(answer.text()).isEqualTo(RawSocketClient.Frame.CLOSE);
            assertThat(answer.closeStatus()).isEqualTo(4401);
        }
        try (RawSocketClient bridge = RawSocketClient.connect(HTTP, 0)) {
            bridge.write(RawSocketClient.upgrade(HTTP, "/bridge", OWN, null));
            assertThat(bridge.readHead().status()).isEqualTo(101);
            bridge.sendFrame(true, RawSocketClient.Frame.TEXT, ("{\"type\":\"bridge-hello\",\"neighbourhoods\":"
                    + "[\"neighbourhood://x\"],\"authorization\":\"Bearer " + token() + "\"}").getBytes(StandardCharsets.UTF_8));
            assertThat(bridge.readFrame(Duration.ofSeconds(5)).text()).contains("bridge-ready");
        }
        // GraphQL over WebSocket from a page: no operator mutations without the token.
        try (RawSocketClient gql = RawSocketClient.connect(HTTP, 0)) {
            gql.write(RawSocketClient.upgrade(HTTP, "/graphql", OWN, "graphql-transport-ws"));
            assertThat(gql.readHead().status()).isEqualTo(101);
            gql.sendFrame(true, RawSocketClient.Frame.TEXT,
                    "{\"type\":\"connection_init\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8));
            assertThat(gql.readFrame(Duration.ofSeconds(5)).text()).contains("connection_ack");
            gql.sendFrame(true, RawSocketClient.Frame.TEXT, JSON.writeValueAsBytes(Map.of("type", "subscribe", "id", "1",
                    "payload", Map.of("query", SET_MEMBERS, "variables", Map.of("n", NEIGHBOURHOOD, "m", List.of())))));
            assertThat(gql.readFrame(Duration.ofSeconds(5)).text()).contains("forbidden");
        }
    }

    @Test
    @Order(4)
    void oversizedWebSocketMessagesCloseTheSocketFromTheirHeader() throws Exception {
        // /signal: the protocol's too-large error, then close 1009, before any payload is sent.
        try (RawSocketClient client = openWebSocket("/signal", null)) {
            client.readFrame(Duration.ofSeconds(5)); // hello
            client.sendFrameHeader(true, RawSocketClient.Frame.TEXT, 1024 * 1024);
            RawSocketClient.Frame error = client.readFrame(Duration.ofSeconds(5));
            assertThat(error.text()).contains("\"too-large\"");
            RawSocketClient.Frame close = client.readFrame(Duration.ofSeconds(5));
            assertThat(close.opcode()).isEqualTo(RawSocketClient.Frame.CLOSE);
            assertThat(close.closeStatus()).isEqualTo(1009);
            assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
        }
        // A message over the limit in fragments each under it: refused as it grows past the limit.
        try (RawSocketClient client = openWebSocket("/signal", null)) {
            client.readFrame(Duration.ofSeconds(5));
            client.sendFrame(false, RawSocketClient.Frame.TEXT, "x".repeat(200 * 1024).getBytes(StandardCharsets.UTF_8));
            client.sendFrame(false, 0, "x".repeat(100 * 1024).getBytes(StandardCharsets.UTF_8));
            assertThat(client.readFrame(Duration.ofSeconds(5)).text()).contains("\"too-large\"");
            RawSocketClient.Frame close = client.readFrame(Duration.ofSeconds(5));
            assertThat(close.opcode()).isEqualTo(RawSocketClient.Frame.CLOSE);
            assertThat(close.closeStatus()).isEqualTo(1009);
        }
        // /graphql and /bridge have the same bound.
        for (String path : List.of("/graphql", "/bridge")) {
            try (RawSocketClient client = openWebSocket(path, path.equals("/graphql") ? "graphql-transport-ws" : null)) {
                client.sendFrameHeader(true, RawSocketClient.Frame.TEXT, 1024 * 1024);
                RawSocketClient.Frame frame = client.readFrame(Duration.ofSeconds(5));
                while (frame != null && frame.opcode() != RawSocketClient.Frame.CLOSE) {
                    frame = client.readFrame(Duration.ofSeconds(5));
                }
                assertThat(frame).as(path).isNotNull();
                assertThat(frame.closeStatus()).as(path).isEqualTo(1009);
            }
        }
        // A socket under the limit is untouched.
        try (RawSocketClient client = openWebSocket("/signal", null)) {
            client.readFrame(Duration.ofSeconds(5));
            client.sendFrame(true, RawSocketClient.Frame.TEXT, ("{\"type\":\"ping\",\"id\":\"p\",\"pad\":\""
                    + "x".repeat(200 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
            assertThat(client.readFrame(Duration.ofSeconds(5)).text()).contains("pong");
        }
    }

    @Test
    @Order(5)
    void oversizedHttpRequestsGetJsonErrors() throws Exception {
        // A body announced over the limit is refused from its Content-Length, before it is sent.
        try (RawSocketClient client = RawSocketClient.connect(HTTP, 0)) {
            client.write("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:" + HTTP + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 104857600\r\n\r\n");
            RawSocketClient.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(413);
            assertThat(JSON.readTree(client.readBody(head)).path("error").asText()).isNotBlank();
        }
        Map.Entry<RawSocketClient.Head, String> headers = RawSocketClient.exchange(HTTP,
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "y".repeat(64 * 1024) + "\r\n\r\n");
        assertThat(headers.getKey().status()).isEqualTo(431);
        assertThat(JSON.readTree(headers.getValue()).path("error").asText()).isNotBlank();
        Map.Entry<RawSocketClient.Head, String> line = RawSocketClient.exchange(HTTP,
                "GET /" + "z".repeat(64 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(line.getKey().status()).isEqualTo(414);
        assertThat(JSON.readTree(line.getValue()).path("error").asText()).isNotBlank();
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(6)
    void aClientThatNeverReadsIsClosedAndTheNodeStaysBounded() throws Exception {
        long directBefore = metricSum("jvm_buffer_memory_used_bytes{", "id=\"direct\"");
        AtomicLong sent = new AtomicLong();
        long started = System.nanoTime();
        try (RawSocketClient client = RawSocketClient.connect(HTTP, 4096)) {
            client.write(RawSocketClient.upgrade(HTTP, "/signal", null, null));
            assertThat(client.readHead().status()).isEqualTo(101);
            // From here on nothing is read: every pong the node answers (to the protocol's ping
            // and to WebSocket pings) piles up on its side.
            byte[] ping = RawSocketClient.frame(true, RawSocketClient.Frame.TEXT,
                    ("{\"type\":\"ping\",\"id\":\"" + "i".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8));
            byte[] controlPing = RawSocketClient.frame(true, RawSocketClient.Frame.PING, new byte[125]);
            java.io.ByteArrayOutputStream pings = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 256; i++) {
                pings.writeBytes(ping);
                pings.writeBytes(controlPing);
            }
            byte[] batch = pings.toByteArray();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    while (true) {
                        client.write(batch);
                        sent.addAndGet(batch.length);
                    }
                } catch (java.io.IOException closedByTheNode) {
                    // the end this test waits for
                }
            });
            long directMax = directBefore;
            // The node closes it 10 s after its buffers fill, or at once past 4 MiB waiting; the
            // rest of the bound is for a loaded machine filling those buffers slowly.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!writer.isDone() && System.nanoTime() < deadline) {
                try {
                    directMax = Math.max(directMax, metricSum("jvm_buffer_memory_used_bytes{", "id=\"direct\""));
                } catch (java.net.http.HttpTimeoutException busy) {
                    // a node busy with the flood answers the next scrape
                }
                Thread.sleep(250); // sampling interval of the memory scrape, inside a bounded wait
            }
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            System.out.printf("never-reading client: sent %d KiB of pings; closed after %d s: %b;"
                            + " node direct memory %d -> max %d KiB; heap now %d MiB%n", sent.get() / 1024, seconds,
                    writer.isDone(), directBefore / 1024, directMax / 1024,
                    metricSum("jvm_memory_used_bytes{", "area=\"heap\"") / (1024 * 1024));
            assertThat(writer.isDone()).as("the node closed the never-reading socket within 60 s").isTrue();
            assertThat(directMax - directBefore).as("direct memory the node used meanwhile").isLessThan(32L << 20);
        }
        assertThat(node.logged("does not read")).isTrue();
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void theOperatorTokenIsMadeAtFirstStartKeptAcrossRestartsAndPrintedOnce() throws Exception {
        String token = token();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile()))).isEqualTo("rw-------");
        assertThat(node.output().stream().filter(line -> line.contains(token)).count()).isEqualTo(1);

        node.close();
        node = NodeProcess.start("hostile", HTTP, MEDIA, "--data-dir", dataDir.toString());
        assertThat(token()).isEqualTo(token);
        assertThat(node.logged(token)).as("the token is printed at the first start only").isFalse();
        assertThat(node.logged(tokenFile().toString())).as("where the token is kept").isTrue();
        assertThat(get("/admin/rooms", "Origin", OWN, "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
    }

    private static RawSocketClient openWebSocket(String path, String subprotocol) throws Exception {
        RawSocketClient client = RawSocketClient.connect(HTTP, 0);
        client.write(RawSocketClient.upgrade(HTTP, path, null, subprotocol));
        assertThat(client.readHead().status()).as(path).isEqualTo(101);
        return client;
    }

    /** The sum of the node's /metrics series named {@code prefix...} whose labels contain {@code label}. */
    private static long metricSum(String prefix, String label) throws Exception {
        double sum = 0;
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(prefix) && line.contains(label)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }
}
