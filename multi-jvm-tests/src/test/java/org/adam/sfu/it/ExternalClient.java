package org.adam.sfu.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
 * A call client in a process of its own, on any WebRTC stack (aiortc, libwebrtc through Node,
 * werift, ...): it joins through /signal, publishes synthetic audio and video, and reports per
 * publisher when it decoded a first frame and how many it decoded. Every such client speaks the
 * same line-delimited JSON on stdout (hello, joined, published, connection, track, first-frame
 * with sinceJoined, frames counts every 0.5 s, signal, error, left) and takes the same commands
 * on stdin ({@code leave}; end of input does the same), so this one class drives them all.
 */
public final class ExternalClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Process process;
    private final List<JsonNode> events = new ArrayList<>();
    /** "participantId/kind" to seconds from `joined` to the first decoded frame. */
    private final Map<String, Double> firstFrames = new HashMap<>();
    private JsonNode lastCounts = JSON.createObjectNode();
    private String participantId;
    private long keyframeRequests;
    private boolean ended;

    private ExternalClient(String name, Process process) {
        this.name = name;
        this.process = process;
        daemon("client-events-" + name, this::readEvents);
        daemon("client-stderr-" + name, this::echoStderr);
    }

    /**
     * Starts {@code command} as a client called {@code name}; the command names the signalling
     * URL, room and client name itself, as the client's options.
     */
    public static ExternalClient start(String name, List<String> command) throws IOException {
        return new ExternalClient(name, new ProcessBuilder(command).start());
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

    /** Keyframe requests (PLI) the node has sent this client's publisher so far. */
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
