package org.adam.sfu.it;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A headless browser for end-to-end tests: Debian's Chromium (through playwright-core's
 * driver.mjs) or Firefox ESR (through puppeteer-core's firefox-driver.mjs, over WebDriver BiDi).
 * One browser, one context per named page, JavaScript evaluated in pages and its JSON result
 * returned. Both scripts speak the same line protocol.
 */
public final class BrowserDriver implements AutoCloseable {

    /** The browsers there is a driver script for. */
    public enum Browser {
        CHROMIUM("driver.mjs"),
        FIREFOX("firefox-driver.mjs");

        private final String script;

        Browser(String script) {
            this.script = script;
        }

        public String script() {
            return script;
        }
    }

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();
    private final Process process;
    private final BufferedWriter commands;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1);
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private BrowserDriver(Process process) {
        this.process = process;
        this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        daemon("browser-replies", this::readReplies);
        daemon("browser-console", this::echoConsole);
    }

    public static BrowserDriver start() throws Exception {
        return start(List.of());
    }

    /** {@code browser} started directly, its pages on loopback origins. */
    public static BrowserDriver start(Browser browser) throws Exception {
        return start(browser, List.of(), List.of());
    }

    /** A browser started through {@code prefix} (for instance `ip netns exec <ns>`). */
    public static BrowserDriver start(List<String> prefix) throws Exception {
        return start(prefix, List.of());
    }

    /**
     * As {@link #start(List)}, treating {@code secureOrigins} (http://host:port) as secure
     * contexts, so pages served from a test namespace's address may capture media.
     */
    public static BrowserDriver start(List<String> prefix, List<String> secureOrigins) throws Exception {
        return start(Browser.CHROMIUM, prefix, secureOrigins);
    }

    /** As {@link #start(List, List)} for {@code browser} (secure origins: Chromium only). */
    public static BrowserDriver start(Browser browser, List<String> prefix, List<String> secureOrigins)
            throws Exception {
        return start(browser, prefix, secureOrigins, List.of());
    }

    /**
     * Chromium that accepts a TLS certificate it cannot verify only when one in the chain has a
     * public key whose SHA-256 (base64 of the SubjectPublicKeyInfo's digest) is in
     * {@code spkiHashes}: a test CA's certificates, and nothing else, as a browser that had that CA
     * installed would (`--ignore-certificate-errors-spki-list`, never a blanket ignore).
     */
    public static BrowserDriver startTrustingSpki(List<String> spkiHashes) throws Exception {
        if (spkiHashes.isEmpty()) {
            throw new IllegalArgumentException("no SPKI hash to trust");
        }
        return start(Browser.CHROMIUM, List.of(), List.of(), spkiHashes);
    }

    private static BrowserDriver start(Browser browser, List<String> prefix, List<String> secureOrigins,
                                       List<String> spkiHashes) throws Exception {
        Path dir = Path.of(System.getProperty("sfu.browser.dir", "src/test/browser"));
        List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(List.of("node", dir.toAbsolutePath().resolve(browser.script()).toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        if (!secureOrigins.isEmpty()) {
            builder.environment().put("SECURE_ORIGINS", String.join(",", secureOrigins));
        }
        if (!spkiHashes.isEmpty()) {
            builder.environment().put("TRUSTED_SPKI_HASHES", String.join(",", spkiHashes));
        }
        Process process = builder.start();
        BrowserDriver driver = new BrowserDriver(process);
        driver.ready.get(60, TimeUnit.SECONDS);
        return driver;
    }

    public BrowserPage open(String page, String url) throws Exception {
        call(Map.of("cmd", "open", "page", page, "url", url));
        return new BrowserPage(this, page);
    }

    public JsonNode eval(String page, String js) throws Exception {
        return call(Map.of("cmd", "eval", "page", page, "js", js));
    }

    public void closePage(String page) throws Exception {
        call(Map.of("cmd", "close", "page", page));
    }

    private JsonNode call(Map<String, String> fields) throws Exception {
        long id = ids.getAndIncrement();
        ObjectNode command = json.createObjectNode();
        command.put("id", id);
        fields.forEach(command::put);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        synchronized (commands) {
            commands.write(command.toString());
            commands.write('\n');
            commands.flush();
        }
        try {
            return reply.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            pending.remove(id);
        }
    }

    private void readReplies() {
        try (BufferedReader replies = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = replies.readLine()) != null) {
                JsonNode reply = json.readTree(line);
                long id = reply.path("id").asLong(-1);
                if (id == 0) {
                    ready.complete(null);
                    continue;
                }
                CompletableFuture<JsonNode> waiting = pending.get(id);
                if (waiting == null) {
                    continue;
                }
                if (reply.path("ok").asBoolean()) {
                    waiting.complete(reply.get("result"));
                } else {
                    waiting.completeExceptionally(new IllegalStateException(reply.path("error").asText()));
                }
            }
        } catch (IOException ignored) {
            // driver ended
        }
        IllegalStateException gone = new IllegalStateException("browser driver exited");
        ready.completeExceptionally(gone);
        pending.values().forEach(f -> f.completeExceptionally(gone));
    }

    private void echoConsole() {
        try (BufferedReader console = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = console.readLine()) != null) {
                System.out.println("[browser] " + line);
            }
        } catch (IOException ignored) {
            // driver ended
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws Exception {
        try {
            synchronized (commands) {
                commands.write("{\"id\":-1,\"cmd\":\"shutdown\"}\n");
                commands.flush();
            }
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
