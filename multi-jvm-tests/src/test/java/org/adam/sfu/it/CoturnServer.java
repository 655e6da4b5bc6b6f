package org.adam.sfu.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's coturn ({@code turnserver}) running on a host of a {@link NatLab}, with a config the
 * test generates: UDP and TCP on port 3478 of its public addresses, relays on its first address,
 * no TLS, no CLI, log to stdout (kept, and echoed with a prefix). One authentication scheme per
 * server: coturn cannot mix long-term users with the TURN REST shared secret.
 */
public final class CoturnServer implements AutoCloseable {

    public static final int PORT = 3478;
    static final int MIN_RELAY_PORT = 50000;
    static final int MAX_RELAY_PORT = 50999;
    static final String REALM = "natlab.test";

    /** Long-term credentials of one user ({@code user=}), or the TURN REST shared secret ({@code use-auth-secret}). */
    public record Auth(String user, String password, String secret) {

        public static Auth longTerm(String user, String password) {
            return new Auth(user, password, null);
        }

        public static Auth restSecret(String secret) {
            return new Auth(null, null, secret);
        }

        String config() {
            return secret != null
                    ? "use-auth-secret\nstatic-auth-secret=" + secret + "\n"
                    : "lt-cred-mech\nuser=" + user + ":" + password + "\n";
        }
    }

    private final Process process;
    private final List<String> addresses;
    private final Path directory;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    private CoturnServer(Process process, List<String> addresses, Path directory) {
        this.process = process;
        this.addresses = addresses;
        this.directory = directory;
        Thread pump = new Thread(this::pumpOutput, "coturn-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts coturn on {@code host}, listening on each of {@code addresses} (the first relays). */
    static CoturnServer start(LabHost host, List<String> addresses, Auth auth) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("natlab-coturn-");
        StringBuilder config = new StringBuilder();
        addresses.forEach(address -> config.append("listening-ip=").append(address).append('\n'));
        config.append("""
                listening-port=%d
                relay-ip=%s
                min-port=%d
                max-port=%d
                realm=%s
                fingerprint
                no-tls
                no-dtls
                no-cli
                no-multicast-peers
                no-software-attribute
                log-file=stdout
                verbose
                pidfile=%s
                userdb=%s
                """.formatted(PORT, addresses.get(0), MIN_RELAY_PORT, MAX_RELAY_PORT, REALM,
                directory.resolve("turnserver.pid"), directory.resolve("turndb")));
        config.append(auth.config());
        Path file = directory.resolve("turnserver.conf");
        Files.writeString(file, config);
        Process process = host.start(List.of("turnserver", "-c", file.toString()));
        CoturnServer server = new CoturnServer(process, List.copyOf(addresses), directory);
        try {
            server.awaitListening(host, Duration.ofSeconds(20));
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Waits until coturn's TCP listener answers on the first address (its UDP one opens first). */
    private void awaitListening(LabHost host, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String listener = addresses.get(0) + ":" + PORT;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("turnserver exited with " + process.exitValue() + ":\n"
                        + String.join("\n", output()));
            }
            String sockets = LabShell.runIn(host.namespace(), "ss", "-Hltnu");
            if (sockets.contains(listener) && sockets.lines().filter(l -> l.contains(listener)).count() >= 2) {
                return;
            }
            Thread.sleep(100); // poll interval of a deadline-bounded wait
        }
        throw new IllegalStateException("turnserver not listening on " + listener + " within " + timeout + ":\n"
                + String.join("\n", output()));
    }

    public String address() {
        return addresses.get(0);
    }

    /** Every address coturn listens on (a second one lets a STUN probe ask two destinations). */
    public List<String> addresses() {
        return addresses;
    }

    /** `turn:` url of the server for UDP between client and server. */
    public String udpUrl() {
        return "turn:" + address() + ":" + PORT + "?transport=udp";
    }

    /** `turn:` url of the server for TCP between client and server. */
    public String tcpUrl() {
        return "turn:" + address() + ":" + PORT + "?transport=tcp";
    }

    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    public boolean logged(String fragment) {
        return output().stream().anyMatch(line -> line.contains(fragment));
    }

    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                System.out.println("[coturn] " + line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(directory);
    }
}
