package org.adam.sfu.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.adam.sfu.webrtc.stun.StunBindingClient;

/**
 * A Debian coturn ({@code turnserver}) started by a test, on 127.0.0.1 unless told otherwise, with a generated config:
 * UDP and TCP on one port, no TLS, no CLI, loopback peers allowed, its database and pid file in
 * a temporary directory, its log kept for assertions. Long-term user or TURN REST secret (coturn
 * cannot mix the two). On a {@link NatLab} host it may listen on several addresses, relaying from
 * the first.
 */
final class CoturnProcess implements AutoCloseable {

    static final String REALM = "adam.test";

    private final Process process;
    private final List<String> hosts;
    private final int port;
    private final Path directory;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    private CoturnProcess(Process process, List<String> hosts, int port, Path directory) {
        this.process = process;
        this.hosts = List.copyOf(hosts);
        this.port = port;
        this.directory = directory;
        Thread pump = new Thread(this::pumpOutput, "coturn-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** coturn with one long-term user {@code user:password}. */
    static CoturnProcess withUser(int port, String user, String password) throws Exception {
        return start(List.of(), "127.0.0.1", port, List.of("lt-cred-mech", "user=" + user + ":" + password));
    }

    /** coturn checking TURN REST credentials made with {@code secret} (use-auth-secret). */
    static CoturnProcess withSharedSecret(int port, String secret) throws Exception {
        return start(List.of(), "127.0.0.1", port, List.of("use-auth-secret", "static-auth-secret=" + secret));
    }

    /** coturn with one long-term user, run with {@code prefix} (e.g. in a lab namespace) on {@code host}. */
    static CoturnProcess withUserAt(List<String> prefix, String host, int port, String user, String password)
            throws Exception {
        return start(prefix, host, port, List.of("lt-cred-mech", "user=" + user + ":" + password));
    }

    /**
     * coturn checking TURN REST credentials made with {@code secret}, run with {@code prefix} and
     * listening on each of {@code hosts} (the first relays; NAT lab STUN probes ask two).
     */
    static CoturnProcess withSharedSecretAt(List<String> prefix, List<String> hosts, int port, String secret)
            throws Exception {
        return start(prefix, hosts, port, List.of("use-auth-secret", "static-auth-secret=" + secret));
    }

    /** As {@link #withUserAt}, listening on each of {@code hosts} (the first relays). */
    static CoturnProcess withUserAt(List<String> prefix, List<String> hosts, int port, String user, String password)
            throws Exception {
        return start(prefix, hosts, port, List.of("lt-cred-mech", "user=" + user + ":" + password));
    }

    private static CoturnProcess start(List<String> prefix, String host, int port, List<String> auth) throws Exception {
        return start(prefix, List.of(host), port, auth);
    }

    private static CoturnProcess start(List<String> prefix, List<String> hosts, int port, List<String> auth)
            throws Exception {
        Path directory = Files.createTempDirectory("coturn-");
        List<String> config = new ArrayList<>();
        hosts.forEach(host -> config.add("listening-ip=" + host));
        config.addAll(List.of(
                "relay-ip=" + hosts.get(0), "listening-port=" + port,
                "min-port=" + (port + 1), "max-port=" + (port + 100), "realm=" + REALM, "fingerprint",
                "no-tls", "no-dtls", "no-cli", "allow-loopback-peers", "no-multicast-peers",
                // With two listening addresses coturn would open RFC 5780's alternate port (port + 1)
                // inside the relay range; nobody here asks for NAT behaviour discovery.
                "no-rfc5780",
                "log-file=stdout", "simple-log", "verbose",
                "userdb=" + directory.resolve("turndb"), "pidfile=" + directory.resolve("turnserver.pid")));
        config.addAll(auth);
        Path file = directory.resolve("turnserver.conf");
        Files.write(file, config);
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("turnserver", "-c", file.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CoturnProcess coturn = new CoturnProcess(process, hosts, port, directory);
        try {
            coturn.awaitStunAnswer(Duration.ofSeconds(15));
        } catch (RuntimeException | InterruptedException | IOException e) {
            coturn.close();
            throw e;
        }
        return coturn;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(hosts.get(0), port);
    }

    /** Every address it listens on, the relaying one first. */
    List<String> hosts() {
        return hosts;
    }

    /** `turn:` url of the server for {@code transport} (udp or tcp) between client and server. */
    String turnUrl(String transport) {
        return "turn:" + hosts.get(0) + ":" + port + "?transport=" + transport;
    }

    boolean logged(String fragment) {
        return output().stream().anyMatch(line -> line.contains(fragment));
    }

    int port() {
        return port;
    }

    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /**
     * Ready when it answers a STUN Binding request on its UDP port. Each try comes from a new
     * socket: coturn keeps a session per client address, and one made by a request that arrived
     * while it was still starting may never answer (seen in about one start in five).
     */
    private void awaitStunAnswer(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("turnserver exited with " + process.exitValue() + ":\n"
                        + String.join("\n", output()));
            }
            try (DatagramSocket socket = new DatagramSocket()) {
                StunBindingClient probe = new StunBindingClient(new Random(), false, 200, 0);
                byte[] request = probe.pollTransmit();
                socket.send(new DatagramPacket(request, request.length, address()));
                socket.setSoTimeout(200);
                byte[] buffer = new byte[1500];
                DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(answer);
                    if (probe.handleInput(buffer, 0, answer.getLength())) {
                        return;
                    }
                } catch (SocketTimeoutException notYet) {
                    // not listening yet: ask again until the deadline
                }
            }
        }
        throw new IllegalStateException("turnserver did not answer STUN within " + timeout + ":\n"
                + String.join("\n", output()));
    }

    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                output.add(line);
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
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
