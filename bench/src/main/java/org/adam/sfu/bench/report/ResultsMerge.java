package org.adam.sfu.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Joins the load generator's result files of one benchmark run (one per SFU) into the single
 * results.json the report and the docs are made from. The run's description (commit, JDK,
 * machine) comes from the first file; {@code command} is the benchmark command that was run.
 * A run of a later file replaces an earlier one of the same scenario, SFU and size, so a partial
 * re-run can be merged into an existing results.json (each run keeps its own commit and JDK).
 *
 * <p>Usage: {@code ResultsMerge <out.json> <command> <in.json>...}.
 */
public final class ResultsMerge {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsMerge() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: ResultsMerge <out.json> <command> <in.json>...");
            System.exit(2);
        }
        ObjectNode merged = null;
        ArrayNode runs = null;
        for (int i = 2; i < args.length; i++) {
            JsonNode part = JSON.readTree(Path.of(args[i]).toFile());
            if (merged == null) {
                merged = part.deepCopy();
                runs = merged.putArray("runs");
            }
            for (JsonNode run : part.path("runs")) {
                for (int j = runs.size() - 1; j >= 0; j--) {
                    if (sameRun(runs.get(j), run)) {
                        runs.remove(j);
                    }
                }
                runs.add(run);
            }
        }
        merged.put("command", args[1]);
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        JSON.writeValue(out.toFile(), merged);
        System.out.printf("results: %d runs from %d files in %s%n", runs.size(), args.length - 2, out);
    }

    private static boolean sameRun(JsonNode a, JsonNode b) {
        return a.path("scenario").asText().equals(b.path("scenario").asText())
                && a.path("sfu").asText().equals(b.path("sfu").asText())
                && a.path("subscribers").asInt() == b.path("subscribers").asInt()
                && a.path("rooms").asInt() == b.path("rooms").asInt();
    }
}
