package org.adam.sfu.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A call client in a process of its own (aiortc, GStreamer webrtcbin, libwebrtc or werift in Node) that joins through
 * /signal and reports, as line-delimited JSON on stdout, what it decoded: `hello`, `joined`,
 * `published`, `connection`, `track`, `first-frame` (with `sinceJoined`), `frames` (counts per
 * publisher every 0.5 s), `signal`, `error`, `left`. It takes `leave` on stdin; end of stdin
 * also makes it leave. The clients are in src/test/clients and run with /usr/bin/python3.
 */
public final class ExternalClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Process process;
    private final List<JsonNode> events = new ArrayList<>();
    /** "participantId/kind" to seconds from `joined` to the first decoded frame. */
    private final Map<String, Double> firstFrames = new HashMap<>();
    private long keyframeRequests;
    private JsonNode lastCounts = JSON.createObjectNode();
    private String participantId;
    private boolean ended;

    private ExternalClient(String name, Process process) {
        this.name = name;
        this.process = process;
        daemon("client-events-" + name, this::readEvents);
        daemon("client-stderr-" + name, this::echoStderr);
    }

    /** Starts {@code command}, a client process speaking the events and commands above. */
    public static ExternalClient start(String name, List<String> command) throws IOException {
        return new ExternalClient(name, new ProcessBuilder(command).start());
    }

    /**
     * Starts the Python client {@code script} of src/test/clients (aiortc_client.py,
     * gst_client.py) on Debian's Python, joining {@code room} through {@code signalUrl} as {@code name}.
     *
     * @param options more of the script's options: {@code --no-pli}, {@code --publish none},
     *                {@code --codec h264}, {@code --verbose}, ...
     */
    public static ExternalClient python(String script, String name, String signalUrl, String room, String... options)
            throws IOException {
        return start(name, command(System.getProperty("sfu.python", "/usr/bin/python3"),
                Path.of(System.getProperty("sfu.clients.dir", "src/test/clients"), script),
                name, signalUrl, room, options));
    }

    /**
     * Starts the Node.js client {@code script} of src/test/clients/node (wrtc-client.mjs on
     * libwebrtc, werift-client.mjs on werift), joining {@code room} through {@code signalUrl}.
     */
    public static ExternalClient node(String script, String name, String signalUrl, String room, String... options)
            throws IOException {
        return start(name, command(System.getProperty("sfu.node", "node"),
                Path.of(System.getProperty("sfu.clients.dir", "src/test/clients"), "node", script),
                name, signalUrl, room, options));
    }

    private static List<String> command(String runtime, Path script, String name, String signalUrl, String room,
                                        String... options) {
        List<String> command = new ArrayList<>(List.of(runtime, script.toAbsolutePath().toString(),
                "--url", signalUrl, "--room", room, "--name", name));
        command.addAll(List.of(options));
        return command;
    }

    public String name() {
        return name;
    }

    /** The participant id the node gave this client, null before `joined`. */
    public synchronized String participantId() {
        return participantId;
    }

    /** Waits for `joined` and returns the participant id the node gave this client. */
    public String awaitJoined(Duration timeout) throws InterruptedException {
        return await(timeout, "joined", () -> participantId);
    }

    /** Seconds from `joined` to the first decoded video frame of {@code publisher}, waiting for it. */
    public double awaitFirstVideoFrom(String publisher, Duration timeout) throws InterruptedException {
        return awaitFirstFrameFrom(publisher, "video", timeout);
    }

    /** Seconds from `joined` to the first decoded {@code kind} frame of {@code publisher}, waiting for it. */
    public double awaitFirstFrameFrom(String publisher, String kind, Duration timeout) throws InterruptedException {
        return await(timeout, "decoded " + kind + " frame from " + publisher,
                () -> firstFrames.get(publisher + "/" + kind));
    }

    /** Seconds from `joined` to the first decoded {@code kind} frame of {@code publisher}, if any yet. */
    public synchronized OptionalDouble firstFrameFrom(String publisher, String kind) {
        Double seconds = firstFrames.get(publisher + "/" + kind);
        return seconds == null ? OptionalDouble.empty() : OptionalDouble.of(seconds);
    }

    /** Waits until at least {@code frames} video frames of {@code publisher} have been decoded. */
    public void awaitVideoFramesFrom(String publisher, long frames, Duration timeout) throws InterruptedException {
        await(timeout, frames + " decoded video frames from " + publisher,
                () -> lastCounts.path(publisher).path("video").asLong() >= frames ? Boolean.TRUE : null);
    }

    /** Video frames decoded from {@code publisher} so far (as of the client's last report, every 0.5 s). */
    public synchronized long videoFramesFrom(String publisher) {
        return lastCounts.path(publisher).path("video").asLong();
    }

    public synchronized long audioFramesFrom(String publisher) {
        return lastCounts.path(publisher).path("audio").asLong();
    }

    /** Waits until the node tells this client that {@code participant} left the call. */
    public void awaitParticipantLeft(String participant, Duration timeout) throws InterruptedException {
        await(timeout, "participant-left for " + participant, () -> events.stream().anyMatch(e ->
                e.path("event").asText().equals("signal") && e.path("type").asText().equals("participant-left")
                        && e.path("frame").path("participantId").asText().equals(participant)) ? Boolean.TRUE : null);
    }

    /** Keyframe requests (PLI/FIR) the node has sent this client's publisher so far, where the client reports them. */
    public synchronized long keyframeRequests() {
        return keyframeRequests;
    }

    /** Every event the client has reported so far. */
    public synchronized List<JsonNode> events() {
        return List.copyOf(events);
    }

    /** Asks the client to leave the call and waits for it to exit. */
    public void leave() throws InterruptedException {
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write("leave\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException alreadyGone) {
            // exited already
        }
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            leave();
        }
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private synchronized <T> T await(Duration timeout, String what, Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T current = value.get();
            if (current != null) {
                return current;
            }
            if (ended) {
                throw new AssertionError("client " + name + " exited (" + exitCode()
                        + ") before " + what + "; last errors: " + errors());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("client " + name + ": no " + what + " within " + timeout
                        + " (decoded so far: " + lastCounts + "; errors: " + errors() + ")");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private String exitCode() {
        try {
            return "exit code " + process.exitValue();
        } catch (IllegalThreadStateException stillRunning) {
            return "output closed";
        }
    }

    private List<String> errors() {
        return events.stream().filter(e -> e.path("event").asText().equals("error"))
                .map(e -> e.path("message").asText()).toList();
    }

    private void readEvents() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode event;
                try {
                    event = JSON.readTree(line);
                } catch (IOException notJson) {
                    System.out.println("[" + name + "] " + line);
                    continue;
                }
                String type = event.path("event").asText();
                if (!type.equals("frames")) {
                    System.out.println("[" + name + "] " + line);
                }
                synchronized (this) {
                    events.add(event);
                    switch (type) {
                        case "joined" -> participantId = event.path("participantId").asText();
                        case "first-frame" -> firstFrames.putIfAbsent(
                                event.path("from").asText() + "/" + event.path("kind").asText(),
                                event.path("sinceJoined").asDouble());
                        case "frames" -> lastCounts = event.path("counts");
                        case "keyframe-request" -> keyframeRequests++;
                        default -> { }
                    }
                    notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
        synchronized (this) {
            ended = true;
            notifyAll();
        }
    }

    private void echoStderr() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println("[" + name + " stderr] " + line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
