package org.adam.sfu.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/** One participant's page running the node's web client, seen through `window.sfu`. */
public final class BrowserPage {

    /** One inbound track of the page's subscribe connection (getStats inbound-rtp). */
    public record Inbound(String kind, String participantId, long framesDecoded, int frameWidth,
                          long packetsReceived, long freezeCount, double totalFreezesDuration) {
    }

    /** The widest video frame among {@code stats} (0 if none decoded yet). */
    /**
     * Waits until each of two joined pages decodes the other's video (30 frames, with a frame
     * size), at most {@code timeout} each.
     *
     * @return the seconds it took
     */
    public static double awaitEachDecodesTheOther(BrowserPage first, BrowserPage second, Duration timeout)
            throws Exception {
        long started = System.nanoTime();
        for (BrowserPage[] pair : new BrowserPage[][] {{first, second}, {second, first}}) {
            String otherId = pair[1].participantId();
            List<Inbound> stats = pair[0].awaitInbound(
                    s -> SingleNodeCallTest.receivesFromAll(s, List.of(otherId), 30), timeout);
            if (videoWidth(stats) <= 0) {
                throw new AssertionError(pair[0].name() + " decodes no video of a size: " + stats);
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    public static int videoWidth(List<Inbound> stats) {
        return stats.stream().filter(s -> s.kind().equals("video")).mapToInt(Inbound::frameWidth).max().orElse(0);
    }

    private final BrowserDriver driver;
    private final String name;

    BrowserPage(BrowserDriver driver, String name) {
        this.driver = driver;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public JsonNode eval(String js) throws Exception {
        return driver.eval(name, js);
    }

    public String state() throws Exception {
        return eval("window.sfu ? window.sfu.state : 'loading'").asText();
    }

    public String participantId() throws Exception {
        return eval("window.sfu.participantId").asText();
    }

    public List<Inbound> inbound() throws Exception {
        List<Inbound> out = new ArrayList<>();
        for (JsonNode s : eval("window.sfu.inboundStats()")) {
            out.add(new Inbound(s.path("kind").asText(), s.path("participantId").asText(null),
                    s.path("framesDecoded").asLong(), s.path("frameWidth").asInt(),
                    s.path("packetsReceived").asLong(), s.path("freezeCount").asLong(),
                    s.path("totalFreezesDuration").asDouble()));
        }
        return out;
    }

    /** Types of every frame the page received, in order. */
    public List<String> eventTypes() throws Exception {
        List<String> types = new ArrayList<>();
        for (JsonNode event : eval("window.sfu.events")) {
            types.add(event.path("type").asText());
        }
        return types;
    }

    public JsonNode events() throws Exception {
        return eval("window.sfu.events");
    }

    /** Polls {@code probe} until it accepts the page's inbound stats or the timeout passes. */
    public List<Inbound> awaitInbound(Predicate<List<Inbound>> probe, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Inbound> last = List.of();
        while (System.nanoTime() < deadline) {
            last = inbound();
            if (probe.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("page " + name + " did not reach the expected media state within " + timeout
                + "; last stats: " + last + "; events: " + eventTypes());
    }

    /**
     * Polls this page's decoded video until every one of {@code publishers} has a decoded frame, or
     * {@code timeout}: how long after the page's `joined` each first decoded frame came (ms, by the
     * page's own clock, so the poll interval shows only as a late bound).
     */
    public java.util.Map<String, Double> firstVideoFrameMillisSinceJoin(List<String> publishers, Duration timeout)
            throws Exception {
        java.util.Map<String, Double> first = new java.util.HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (first.size() < publishers.size() && System.nanoTime() < deadline) {
            JsonNode sample = eval("(async () => ({now: performance.now(), joinedAt: window.sfu.joinedAt,"
                    + " stats: await window.sfu.inboundStats()}))()");
            if (!sample.path("joinedAt").isNull()) {
                double sinceJoin = sample.path("now").asDouble() - sample.path("joinedAt").asDouble();
                for (JsonNode s : sample.path("stats")) {
                    String from = s.path("participantId").asText();
                    if (s.path("kind").asText().equals("video") && s.path("framesDecoded").asLong() > 0
                            && publishers.contains(from)) {
                        first.putIfAbsent(from, sinceJoin);
                    }
                }
            }
            // The poll interval of a loop bounded by its deadline, not a wait for the condition.
            Thread.sleep(50);
        }
        return first;
    }

    public void awaitState(String expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (expected.equals(state())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("page " + name + " is '" + state() + "', not '" + expected + "'; error: "
                + eval("window.sfu.lastError"));
    }

    public void close() throws Exception {
        driver.closePage(name);
    }

    /** Loss-recovery counters of a page's received video: what a freeze's cause shows in. */
    public String videoReceiveStats() throws Exception {
        return eval("(async () => { const out = []; (await window.sfu.subscribePc.getStats()).forEach((s) => {"
                + " if (s.type === 'inbound-rtp' && s.kind === 'video') out.push({ packetsReceived: s.packetsReceived,"
                + " packetsLost: s.packetsLost, nackCount: s.nackCount, pliCount: s.pliCount, firCount: s.firCount,"
                + " keyFramesDecoded: s.keyFramesDecoded, framesDecoded: s.framesDecoded, framesDropped: s.framesDropped,"
                + " frameWidth: s.frameWidth, freezeCount: s.freezeCount, totalFreezesDuration: s.totalFreezesDuration,"
                + " jitterBufferDelay: s.jitterBufferDelay, jitterBufferEmittedCount: s.jitterBufferEmittedCount }); });"
                + " return out; })()").toString();
    }
}
