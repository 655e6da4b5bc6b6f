package org.adam.sfu.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns `--option value` pairs into config paths, so every option is also settable in HOCON.
 * Unknown options are an error: a typo must not silently start a node on the wrong address.
 */
final class CommandLine {

    static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("--http-host", "sfu.http.host"),
            Map.entry("--http-port", "sfu.http.port"),
            Map.entry("--allowed-origins", "sfu.http.allowed-origins"),
            Map.entry("--tls", "sfu.http.tls.mode"),
            Map.entry("--tls-cert", "sfu.http.tls.cert"),
            Map.entry("--tls-key", "sfu.http.tls.key"),
            Map.entry("--media-host", "sfu.media.host"),
            Map.entry("--media-port", "sfu.media.port"),
            Map.entry("--media-workers", "sfu.media.workers"),
            Map.entry("--media-tcp-port", "sfu.media.tcp-port"),
            Map.entry("--public-ip", "sfu.media.public-ip"),
            Map.entry("--stun-server", "sfu.media.stun-server"),
            Map.entry("--ice-checks", "sfu.media.ice-checks"),
            Map.entry("--relay-server", "sfu.media.relay-server"),
            Map.entry("--relay-user", "sfu.media.relay-user"),
            Map.entry("--relay-password", "sfu.media.relay-password"),
            Map.entry("--relay-transport", "sfu.media.relay-transport"),
            Map.entry("--node-id", "sfu.node-id"),
            Map.entry("--auth", "sfu.auth"),
            Map.entry("--data-dir", "sfu.data-dir"),
            Map.entry("--admin-token", "sfu.admin-token"),
            Map.entry("--cluster-port", "sfu.cluster.port"),
            Map.entry("--cluster-host", "sfu.cluster.host"),
            Map.entry("--seeds", "sfu.cluster.seeds"),
            Map.entry("--max-participants-per-node", "sfu.cluster.max-participants-per-node"),
            Map.entry("--ice-servers", "sfu.ice-servers"),
            Map.entry("--turn-secret", "sfu.turn-secret"),
            Map.entry("--turn-secret-ttl", "sfu.turn-secret-ttl"));

    /** Options that take no value: given, they set their path to true (`--flag=false` unsets it). */
    static final Map<String, String> FLAGS = Map.of("--insecure-http", "sfu.http.insecure");

    record Parsed(String configFile, Map<String, Object> overrides, boolean help) {
    }

    static Parsed parse(String[] args) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        String configFile = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Parsed(null, Map.of(), true);
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (FLAGS.containsKey(arg)) {
                value = "true";
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + arg + " needs a value");
                }
                value = args[++i];
            }
            if (name.equals("--config")) {
                configFile = value;
            } else if (name.equals("--seeds") || name.equals("--allowed-origins")) {
                overrides.put(OPTIONS.get(name), value.isBlank() ? List.of() : List.of(value.split(",")));
            } else if (name.equals("--ice-servers")) {
                overrides.put(OPTIONS.get(name), IceServersSetting.option(value));
            } else if (OPTIONS.containsKey(name)) {
                overrides.put(OPTIONS.get(name), value);
            } else if (FLAGS.containsKey(name)) {
                overrides.put(FLAGS.get(name), value);
            } else {
                throw new IllegalArgumentException("unknown option " + name + "; try --help");
            }
        }
        return new Parsed(configFile, overrides, false);
    }

    static String usage() {
        StringBuilder out = new StringBuilder("usage: java -jar sfu-node.jar [--config FILE]");
        OPTIONS.keySet().stream().sorted().forEach(o -> out.append(" [").append(o).append(" VALUE]"));
        FLAGS.keySet().stream().sorted().forEach(f -> out.append(" [").append(f).append(']'));
        out.append("\nEach option is also the HOCON path shown in reference.conf:");
        java.util.stream.Stream.concat(OPTIONS.entrySet().stream(), FLAGS.entrySet().stream())
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.append("\n  ").append(e.getKey()).append("  ->  ").append(e.getValue()));
        return out.toString();
    }

    private CommandLine() {
    }
}
