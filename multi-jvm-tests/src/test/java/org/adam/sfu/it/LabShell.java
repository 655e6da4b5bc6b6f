package org.adam.sfu.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the `ip`, `nft` and `sysctl` commands that build the tests' networks, in a namespace or not. */
final class LabShell {

    private static final long TIMEOUT_SECONDS = 20;

    /** {@code command} prefixed to run inside network namespace {@code namespace}. */
    static List<String> inNamespace(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return full;
    }

    /** Runs {@code command}, returns its output; an IOException with that output if it fails. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output.trim());
        }
        return output;
    }

    static String run(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }

    /** Runs {@code command} in {@code namespace}. */
    static String runIn(String namespace, String... command) throws IOException, InterruptedException {
        return run(inNamespace(namespace, command));
    }

    /** Feeds {@code script} to `nft -f -` in {@code namespace}: a whole ruleset in one transaction. */
    static void nft(String namespace, String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(inNamespace(namespace, "nft", "-f", "-")).redirectErrorStream(true).start();
        process.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("nft -f - in " + namespace + " failed: " + output.trim() + "\n" + script);
        }
    }

    private LabShell() {
    }
}
