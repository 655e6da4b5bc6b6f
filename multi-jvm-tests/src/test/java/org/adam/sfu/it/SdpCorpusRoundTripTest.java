package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The publish offers of the SDP corpus, made afresh by the stacks that made them (GStreamer
 * webrtcbin under each bundle policy, aiortc, Chromium, Firefox ESR): the node's negotiator answers each, and
 * the same peer connection applies the answer (scripts/sdp-roundtrip.sh). Every case must apply,
 * or be refused where refusal is right (webrtcbin's balanced policy offers no BUNDLE group).
 */
class SdpCorpusRoundTripTest {

    @Test
    void everyStacksOfferIsAnsweredAndTheAnswerApplies() throws Exception {
        Path root = Path.of(System.getProperty("sfu.browser.dir", "src/test/browser")).toAbsolutePath()
                .getParent().getParent().getParent().getParent();
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("scripts/sdp-roundtrip.sh").toString())
                .directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("SDP_ROUNDTRIP_PREPARED", "1");
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                System.out.println("[sdp-roundtrip] " + line);
            }
        }
        boolean ended = process.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("the round trip ends within 5 minutes").isTrue();
        assertThat(lines).as("every case applied or was rightly refused").noneMatch(l -> l.startsWith("FAIL"));
        assertThat(lines.stream().filter(l -> l.startsWith("PASS") || l.startsWith("REFUSED")).count())
                .as("cases run").isGreaterThanOrEqualTo(24);
        assertThat(process.exitValue()).isZero();
    }
}
