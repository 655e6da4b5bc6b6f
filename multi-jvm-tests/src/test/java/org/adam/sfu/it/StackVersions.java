package org.adam.sfu.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The versions of the client stacks on this machine, as their own tools print them (for the interop matrix). */
public final class StackVersions {

    private static final Map<String, List<String>> COMMANDS = Map.of(
            "chromium", List.of("chromium", "--version"),
            "firefox-esr", List.of("firefox-esr", "--version"),
            "aiortc", List.of("/usr/bin/python3", "-c", "import aiortc; print(aiortc.__version__)"),
            "gstreamer", List.of("gst-launch-1.0", "--version"),
            "wrtc", List.of("node", "-p", "require('./src/test/clients/node/node_modules/@roamhq/wrtc/package.json').version"),
            "werift", List.of("node", "-p", "require('./src/test/clients/node/node_modules/werift/package.json').version"));
    private static final Map<String, String> SEEN = new ConcurrentHashMap<>();
    private static final java.util.regex.Pattern VERSION =
            java.util.regex.Pattern.compile("(?<![\\w.:-])\\d+\\.\\d+(\\.\\d+)*(esr)?(?![\\w.-])");

    private StackVersions() {
    }

    public static String of(String stack) {
        return SEEN.computeIfAbsent(stack, StackVersions::ask);
    }

    private static String ask(String stack) {
        List<String> command = COMMANDS.get(stack);
        if (command == null) {
            return "unknown";
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return "unknown";
            }
            // "Chromium 156.0.8078.73 built on Debian", "gst-launch-1.0 version 1.22.0": the version only,
            // from whichever line has one (a wrapper script may print warnings first).
            java.util.regex.Matcher version = VERSION.matcher(out);
            return version.find() ? version.group() : "unknown";
        } catch (IOException e) {
            return "not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
