package org.adam.sfu.it.bench;

import org.adam.sfu.it.BrowserDriver;
import org.adam.sfu.it.BrowserPage;
import org.adam.sfu.it.ExternalClient;
import org.adam.sfu.it.NodeProcess;
import org.adam.sfu.it.SingleNodeCallTest;
import org.adam.sfu.it.StackVersions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Figures, not a pass/fail test (so not run by the suite): for each client stack, a publisher of
 * that stack in a room, then five late joiners of the same stack one after another, each timed
 * from its `joined` to its first decoded video frame of the publisher. External clients join
 * without ever sending PLI where the stack allows it (aiortc, GStreamer), so the figure is the
 * node's own keyframe path. Run with:
 * mvn -pl multi-jvm-tests test -Dtest=JoinToFirstFrameMeasurement -Dsurefire.failIfNoSpecifiedTests=false
 * Writes docs/interop/join-to-first-frame.json.
 */
class JoinToFirstFrameMeasurement {

    private static final int RUNS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String COMMAND =
            "mvn -pl multi-jvm-tests test -Dtest=JoinToFirstFrameMeasurement -Dsurefire.failIfNoSpecifiedTests=false";

    /** A stack's client as this measurement starts it: a script of src/test/clients and its options. */
    private record External(String stack, List<String> command, List<String> lateOptions) {
    }

    @Test
    void measure() throws Exception {
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        try (NodeProcess node = NodeProcess.start("join-figures", 18300, 41300)) {
            for (External stack : externalStacks()) {
                figures.put(stack.stack(), external(node, stack));
            }
            figures.put("chromium", browser(node, BrowserDriver.Browser.CHROMIUM));
            figures.put("firefox-esr", browser(node, BrowserDriver.Browser.FIREFOX));
        }
        write(figures);
    }

    private static List<External> externalStacks() {
        return List.of(
                new External("aiortc", List.of("python", "aiortc_client.py"), List.of("--no-pli")),
                new External("gstreamer", List.of("python", "gst_client.py"), List.of("--no-pli")),
                new External("wrtc", List.of("node", "wrtc-client.mjs"), List.of()),
                new External("werift", List.of("node", "werift-client.mjs"), List.of()));
    }

    private static ExternalClient start(External stack, NodeProcess node, String room, String name,
                                        List<String> options) throws Exception {
        String[] extra = options.toArray(String[]::new);
        return stack.command().get(0).equals("python")
                ? ExternalClient.python(stack.command().get(1), name, node.signalUrl(), room, extra)
                : ExternalClient.node(stack.command().get(1), name, node.signalUrl(), room, extra);
    }

    private static List<Double> external(NodeProcess node, External stack) throws Exception {
        String room = "figures-" + stack.stack();
        List<Double> millis = new ArrayList<>();
        try (ExternalClient publisher = start(stack, node, room, stack.stack() + "-pub", List.of())) {
            String publisherId = publisher.awaitJoined(TIMEOUT);
            for (int run = 0; run < RUNS; run++) {
                try (ExternalClient late = start(stack, node, room, stack.stack() + "-late" + run, stack.lateOptions())) {
                    late.awaitJoined(TIMEOUT);
                    millis.add(late.awaitFirstVideoFrom(publisherId, TIMEOUT) * 1000);
                    late.leave();
                }
            }
            publisher.leave();
        }
        return millis;
    }

    private static List<Double> browser(NodeProcess node, BrowserDriver.Browser kind) throws Exception {
        List<Double> millis = new ArrayList<>();
        try (BrowserDriver browser = BrowserDriver.start(kind)) {
            String room = "figures-" + kind.name().toLowerCase(java.util.Locale.ROOT);
            BrowserPage publisher = browser.open(room + "-pub", SingleNodeCallTest.roomUrl(node, room, "pub"));
            publisher.awaitState("joined", TIMEOUT);
            String publisherId = publisher.participantId();
            for (int run = 0; run < RUNS; run++) {
                BrowserPage late = browser.open(room + "-late" + run,
                        SingleNodeCallTest.roomUrl(node, room, "late" + run) + "&publish=0");
                Double ms = late.firstVideoFrameMillisSinceJoin(List.of(publisherId), TIMEOUT).get(publisherId);
                if (ms == null) {
                    throw new AssertionError(kind + " late joiner " + run + " decoded nothing in " + TIMEOUT);
                }
                millis.add(ms);
                late.close();
            }
        }
        return millis;
    }

    private static void write(Map<String, List<Double>> figures) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.put("measured", Instant.now().toString());
        out.put("command", COMMAND);
        out.put("what", "ms from a late joiner's joined to its first decoded video frame of a publisher of the"
                + " same stack, " + RUNS + " joins each, one node on loopback");
        ObjectNode stacks = out.putObject("stacks");
        figures.forEach((stack, millis) -> {
            ObjectNode entry = stacks.putObject(stack);
            entry.put("version", StackVersions.of(stack));
            List<Double> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            entry.put("medianMs", Math.round(sorted.get(sorted.size() / 2)));
            ArrayNode runs = entry.putArray("runsMs");
            millis.forEach(ms -> runs.add(Math.round(ms)));
            System.out.println(stack + ": join to first frame median " + entry.get("medianMs") + " ms, runs " + runs);
        });
        Path file = Path.of(System.getProperty("sfu.docs.dir", "../docs"), "interop", "join-to-first-frame.json");
        Files.createDirectories(file.getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), out);
    }
}
