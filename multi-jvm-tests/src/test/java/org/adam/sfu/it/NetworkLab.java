package org.adam.sfu.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace of the test's own, joined to the test JVM's private namespace by a veth
 * pair, so one receiver's path can be impaired without touching anyone else's: a browser runs
 * behind it ({@link #browser}), the node listens on {@link #nodeAddress}, and what the node
 * sends that browser is rate limited (tc tbf) or dropped at random (nftables, since this kernel
 * has no netem) on the node's end of the pair. Everything is removed on {@link #close}.
 */
final class NetworkLab implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String namespace;
    private final String nodeSide;
    private final int subnet;
    private boolean lossRule;
    /** The lab end's current host number in the subnet (2, then 3, ... after each {@link #renumberLab}). */
    private int labHost = 2;

    private NetworkLab(String namespace, String nodeSide, int subnet) {
        this.namespace = namespace;
        this.nodeSide = nodeSide;
        this.subnet = subnet;
    }

    static NetworkLab create() throws IOException, InterruptedException {
        int n = COUNTER.incrementAndGet();
        String namespace = "sfu-lab-" + ProcessHandle.current().pid() + "-" + n;
        String nodeSide = "sfulab" + n;
        NetworkLab lab = new NetworkLab(namespace, nodeSide, 230 + n);
        try {
            run("ip", "netns", "add", namespace);
            run("ip", "link", "add", nodeSide, "type", "veth", "peer", "name", "lab0", "netns", namespace);
            run("ip", "addr", "add", lab.nodeAddress() + "/24", "dev", nodeSide);
            run("ip", "link", "set", nodeSide, "up");
            lab.inside("ip", "addr", "add", lab.labAddress() + "/24", "dev", "lab0");
            lab.inside("ip", "link", "set", "lab0", "up");
            lab.inside("ip", "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /** The command prefix that runs a program inside the lab namespace. */
    List<String> exec() {
        return List.of("ip", "netns", "exec", namespace);
    }

    /** The node's address on the pair: bind the node's HTTP and media sockets here. */
    String nodeAddress() {
        return "10.231." + subnet + ".1";
    }

    String labAddress() {
        return "10.231." + subnet + "." + labHost;
    }

    /**
     * The lab's machine changes its address, as a laptop that moves to another network does: the
     * new address is added to its end of the pair and the old one removed, so nothing more leaves
     * from the old one (connections bound to it stall). The route to the node stays (the new
     * address is in the same subnet and takes the old one's place).
     *
     * @return the new address
     */
    String renumberLab() throws IOException, InterruptedException {
        String old = labAddress();
        // Without this, removing the primary address of a subnet removes its secondaries with it.
        inside("sysctl", "-qw", "net.ipv4.conf.lab0.promote_secondaries=1");
        labHost++;
        inside("ip", "addr", "add", labAddress() + "/24", "dev", "lab0");
        inside("ip", "addr", "del", old + "/24", "dev", "lab0");
        return labAddress();
    }

    /** A browser whose every connection goes through the pair. */
    BrowserDriver browser(List<String> secureOrigins) throws Exception {
        return BrowserDriver.start(List.of("ip", "netns", "exec", namespace), secureOrigins);
    }

    /** Limits what reaches the lab to {@code kbits} per second (queueing, then tail drop, as a slow link). */
    void limitDownlink(int kbits) throws IOException, InterruptedException {
        run("tc", "qdisc", "replace", "dev", nodeSide, "root", "tbf", "rate", kbits + "kbit",
                "burst", "8kb", "latency", "150ms");
    }

    void liftDownlinkLimit() throws IOException, InterruptedException {
        run("tc", "qdisc", "del", "dev", nodeSide, "root");
    }

    /** Drops {@code percent} % of the UDP datagrams towards the lab, independently at random. */
    void dropDownlink(int percent) throws IOException, InterruptedException {
        drop("postrouting", "oifname", percent);
    }

    /** Drops {@code percent} % of the UDP datagrams from the lab, independently at random. */
    void dropUplink(int percent) throws IOException, InterruptedException {
        drop("prerouting", "iifname", percent);
    }

    private void drop(String hook, String interfaceMatch, int percent) throws IOException, InterruptedException {
        clearLoss();
        run("nft", "add", "table", "inet", "sfulab");
        run("nft", "add", "chain", "inet", "sfulab", "loss",
                "{ type filter hook " + hook + " priority 0 ; }");
        if (percent >= 100) {
            run("nft", "add", "rule", "inet", "sfulab", "loss", interfaceMatch, nodeSide, "meta", "l4proto", "udp",
                    "counter", "drop");
        } else {
            run("nft", "add", "rule", "inet", "sfulab", "loss", interfaceMatch, nodeSide, "meta", "l4proto", "udp",
                    "numgen", "random", "mod", "100", "<", Integer.toString(percent), "counter", "drop");
        }
        lossRule = true;
    }

    /**
     * Drops every UDP datagram in and out of the lab's namespace (a firewall that lets only TCP
     * through). The rule lives in that namespace and goes with it.
     */
    void blockUdp() throws IOException, InterruptedException {
        inside("nft", "add", "table", "inet", "udpblock");
        for (String hook : List.of("input", "output")) {
            inside("nft", "add", "chain", "inet", "udpblock", hook,
                    "{ type filter hook " + hook + " priority 0 ; }");
            inside("nft", "add", "rule", "inet", "udpblock", hook, "meta", "l4proto", "udp", "counter", "drop");
        }
    }

    /** UDP packets the {@link #blockUdp} rules dropped so far, in and out. */
    long udpDropped() throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "nft", "list", "table", "inet",
                "udpblock"));
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(20, TimeUnit.SECONDS);
        long packets = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(output);
        while (m.find()) {
            packets += Long.parseLong(m.group(1));
        }
        return packets;
    }

    void clearLoss() throws IOException, InterruptedException {
        if (lossRule) {
            run("nft", "delete", "table", "inet", "sfulab");
            lossRule = false;
        }
    }

    private void inside(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        run(full.toArray(String[]::new));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.trim());
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            clearLoss();
        } finally {
            run("ip", "netns", "del", namespace);
        }
    }
}
