package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * {@code --public-ip auto}: a node whose media socket binds the wildcard address (which it could
 * not announce), or a private address behind a NAT, learns the address to announce from coturn's
 * STUN answer; without an answer it refuses to start, with a clear line, within its bound.
 */
class PublicIpAutoTest {

    @Test
    void announcesTheAddressTheStunServerSees() throws Exception {
        try (CoturnProcess coturn = CoturnProcess.withUser(35580, "alice", "wonderland");
             NodeProcess node = NodeProcess.start("auto", 18950, 41950, "--media-host", "0.0.0.0",
                     "--public-ip", "auto", "--stun-server", "127.0.0.1:" + coturn.port())) {
            assertThat(node.logged("public address 127.0.0.1 learned from STUN server 127.0.0.1:" + coturn.port()
                    + " (media 0.0.0.0:41950 seen as 127.0.0.1:41950)")).as(String.join("\n", node.output())).isTrue();
            assertThat(node.logged("announced as 127.0.0.1)")).isTrue();
        }
    }

    /**
     * Behind a NAT: the node's media binds a private address (an extra address on loopback); what it sends
     * towards a lab namespace leaves masqueraded (nftables) as this namespace's end of the veth
     * pair, and coturn in the lab answers with that address. The node announces it, not the
     * address it binds.
     */
    @Test
    void behindANatAnnouncesTheAddressItIsSeenFrom() throws Exception {
        String privateAddress = "192.168.77.1";
        try (NetworkLab lab = NetworkLab.create(); Masquerade nat = Masquerade.from(privateAddress);
             CoturnProcess coturn = CoturnProcess.withUserAt(lab.exec(), lab.labAddress(), 35780, "alice", "wonderland");
             NodeProcess node = NodeProcess.start("natted", 18953, 41953, "--media-host", privateAddress,
                     "--public-ip", "auto", "--stun-server", lab.labAddress() + ":" + coturn.port())) {
            String learned = "public address " + lab.nodeAddress() + " learned from STUN server " + lab.labAddress()
                    + ":" + coturn.port() + " (media " + privateAddress + ":41953 seen as " + lab.nodeAddress() + ":";
            assertThat(node.logged(learned)).as(String.join("\n", node.output())).isTrue();
            assertThat(node.logged("announced as " + lab.nodeAddress() + ")")).isTrue();
        }
    }

    /**
     * A private address (on loopback: this kernel has no dummy links) whose traffic leaves
     * masqueraded as the outgoing interface's address; removed on close.
     */
    private static final class Masquerade implements AutoCloseable {
        private static final String TABLE = "sfuturnnat";
        private final String address;

        private Masquerade(String address) {
            this.address = address;
        }

        static Masquerade from(String address) throws IOException, InterruptedException {
            Masquerade nat = new Masquerade(address);
            try {
                run("ip", "addr", "add", address + "/32", "dev", "lo");
                run("nft", "add", "table", "ip", TABLE);
                run("nft", "add", "chain", "ip", TABLE, "post", "{ type nat hook postrouting priority 100 ; }");
                run("nft", "add", "rule", "ip", TABLE, "post", "ip", "saddr", address, "masquerade");
            } catch (IOException | RuntimeException e) {
                nat.close();
                throw e;
            }
            return nat;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            quietly("nft", "delete", "table", "ip", TABLE);
            quietly("ip", "addr", "del", address + "/32", "dev", "lo");
        }

        private static void run(String... command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output.trim());
            }
        }

        private static void quietly(String... command) throws InterruptedException {
            try {
                run(command);
            } catch (IOException alreadyGone) {
                // set-up failed before this part existed
            }
        }
    }

    @Test
    void refusesToStartWhenNoStunServerAnswers() throws Exception {
        int silentPort;
        try (DatagramSocket unused = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            silentPort = unused.getLocalPort(); // closed again: nothing answers there
        }
        Path dataDir = Files.createTempDirectory("sfu-node-auto-");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("sfu.node.jar"), "--node-id", "auto-silent", "--data-dir", dataDir.toString(),
                "--http-port", "18951", "--media-port", "41951", "--public-ip", "auto",
                "--stun-server", "127.0.0.1:" + silentPort).redirectErrorStream(true).start();
        long started = System.nanoTime();
        boolean exited = process.waitFor(30, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        List<String> output;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            output = reader.lines().collect(Collectors.toList());
        }
        System.out.println("node without a STUN answer exited after " + seconds + " s:\n" + String.join("\n", output));
        assertThat(exited).as("node exits by itself").isTrue();
        assertThat(process.exitValue()).isEqualTo(3);
        assertThat(output).anyMatch(line -> line.startsWith("sfu-node: could not learn the public address from STUN server 127.0.0.1:"
                + silentPort + " within 5000 ms"));
        assertThat(output).noneMatch(line -> line.contains(" up: web client"));
    }

    @Test
    void autoWithoutAStunServerIsAClearError() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("sfu.node.jar"), "--node-id", "auto-none",
                "--data-dir", Files.createTempDirectory("sfu-node-auto-").toString(),
                "--http-port", "18952", "--media-port", "41952", "--public-ip", "auto").redirectErrorStream(true).start();
        try {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("node exits by itself").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).isEqualTo(3);
            assertThat(output).contains("sfu-node: --public-ip auto needs --stun-server host:port");
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
