package org.adam.sfu.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the interop tests saw, one JSON line per checked cell (stack, case, where, codec, bundle
 * policy, pass or fail, first-frame figures), appended to {@code target/interop-results.jsonl}.
 * `scripts/interop-report.py` writes docs/interop.md from it, so the matrix can never say more
 * than was run.
 */
final class InteropResults {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FILE = Path.of(System.getProperty("sfu.interop.results", "target/interop-results.jsonl"));

    private InteropResults() {
    }

    /**
     * @param stack         the client stack, as {@link StackVersions} names it (its version is looked up)
     * @param cell          the matrix column: `publish`, `receive`, `late-join`, `cascade`, ...
     * @param firstFrameMs  join-to-first-decoded-frame figures of this check (empty if none)
     */
    static synchronized void record(String stack, String cell, String codec, String bundlePolicy, boolean passed,
                                    List<Double> firstFrameMs, String test) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("stack", stack);
        line.put("version", StackVersions.of(stack));
        line.put("cell", cell);
        line.put("codec", codec);
        line.put("bundlePolicy", bundlePolicy);
        line.put("passed", passed);
        line.put("firstFrameMs", firstFrameMs);
        line.put("test", test);
        line.put("at", Instant.now().toString());
        try {
            Files.createDirectories(FILE.toAbsolutePath().getParent());
            Files.writeString(FILE, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + FILE, e);
        }
    }

    /** Join-to-first-frame figures the running test saw, by stack; taken by {@link InteropRecorder}. */
    private static final Map<String, List<Double>> FIGURES = new java.util.concurrent.ConcurrentHashMap<>();

    /** The running test saw a {@code stack} receiver decode its first frame {@code ms} after joining. */
    static void firstFrame(String stack, double ms) {
        FIGURES.computeIfAbsent(stack, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(ms);
    }

    static Map<String, List<Double>> takeFigures() {
        Map<String, List<Double>> taken = Map.copyOf(FIGURES);
        FIGURES.clear();
        return taken;
    }

}
