package org.adam.sfu.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Makes the human-readable side of a benchmark run from its {@code results.json}: the tables in
 * docs/benchmarks.md (between the results markers) and the PNG plots beside results.json. Nothing
 * here measures; every figure comes from the file, so the markdown cannot drift from the data.
 *
 * <p>Usage: {@code BenchmarkReport <results.json> <benchmarks.md>}.
 */
public final class BenchmarkReport {

    static final String BEGIN = "<!-- results:begin (written by BenchmarkReport from docs/benchmarks/results.json) -->";
    static final String END = "<!-- results:end -->";

    private BenchmarkReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BenchmarkReport <results.json> <benchmarks.md>");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true"); // plots are drawn off-screen, with or without a display
        Path results = Path.of(args[0]);
        Path markdown = Path.of(args[1]);
        JsonNode root = new ObjectMapper().readTree(results.toFile());
        List<RunResult> runs = RunResult.allOf(root);
        Path plots = results.toAbsolutePath().getParent();
        List<Path> written = FanOutPlots.write(runs, plots);
        String tables = ResultTables.render(root, runs, written, markdown.toAbsolutePath().getParent());
        Files.writeString(markdown, spliced(Files.readString(markdown, StandardCharsets.UTF_8), tables),
                StandardCharsets.UTF_8);
        System.out.printf("report: %d runs, %d plots, tables written to %s%n", runs.size(), written.size(), markdown);
    }

    /** The document with the text between the markers replaced (markers appended when missing). */
    static String spliced(String document, String tables) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            return document.stripTrailing() + "\n\n" + BEGIN + "\n" + tables + END + "\n";
        }
        return document.substring(0, begin + BEGIN.length()) + "\n" + tables + document.substring(end);
    }
}
