package org.adam.sfu.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A machine of a {@link NatLab}: a network namespace with one address, on the public segment or
 * behind a {@link NatRouter}. Browsers and other processes run in it through {@link #prefix};
 * {@link #allowUdpOnlyTo} and {@link #blockUdp} play the firewall of a corporate network. The lab
 * removes the namespace (and with it every rule) when it closes.
 */
public final class LabHost {

    private static final String FILTER_TABLE = "natlab_filter";

    private final String namespace;
    private final String address;
    private boolean filtered;
    private boolean udpFiltered;
    private String udpAllowedOut = "";
    private String udpAllowedIn = "";
    private final List<String> tcpBlockedOut = new ArrayList<>();

    LabHost(String namespace, String address) {
        this.namespace = namespace;
        this.address = address;
    }

    public String namespace() {
        return namespace;
    }

    /** The host's own address (private when it is behind a router). */
    public String address() {
        return address;
    }

    /** Prefix that runs a command on this host. */
    public List<String> prefix() {
        return List.of("ip", "netns", "exec", namespace);
    }

    /** A headless Chromium on this host; {@code secureOrigins} may capture media over plain HTTP. */
    public BrowserDriver browser(List<String> secureOrigins) throws Exception {
        return BrowserDriver.start(prefix(), secureOrigins);
    }

    /** Starts {@code command} on this host (output merged into its stdout). */
    public Process start(List<String> command) throws IOException {
        List<String> full = new ArrayList<>(prefix());
        full.addAll(command);
        return new ProcessBuilder(full).redirectErrorStream(true).start();
    }

    /**
     * Drops every UDP datagram to or from this host except those exchanged with {@code address}:{@code port}
     * (a TURN server), as a firewall that lets only the TURN server through. TCP is untouched.
     */
    public void allowUdpOnlyTo(String address, int port) throws IOException, InterruptedException {
        udpAllowedOut = "ip daddr " + address + " udp dport " + port + " accept";
        udpAllowedIn = "ip saddr " + address + " udp sport " + port + " accept";
        udpFiltered = true;
        applyFilter();
    }

    /**
     * As {@link #allowUdpOnlyTo(String, int)}, with every port of {@code address}: a TURN server's
     * listening port and the relayed addresses it allocates.
     */
    public void allowUdpOnlyTo(String address) throws IOException, InterruptedException {
        udpAllowedOut = "ip daddr " + address + " meta l4proto udp accept";
        udpAllowedIn = "ip saddr " + address + " meta l4proto udp accept";
        udpFiltered = true;
        applyFilter();
    }

    /** Drops every UDP datagram to or from this host: only TCP gets out. */
    public void blockUdp() throws IOException, InterruptedException {
        udpAllowedOut = "";
        udpAllowedIn = "";
        udpFiltered = true;
        applyFilter();
    }

    /** Refuses TCP connections from this host to {@code address}:{@code port} (besides any UDP rule). */
    public void blockTcpTo(String address, int port) throws IOException, InterruptedException {
        tcpBlockedOut.add("ip daddr " + address + " tcp dport " + port + " reject with tcp reset");
        applyFilter();
    }

    /** The filter table as the rules asked for so far make it, replacing the previous one in one transaction. */
    private void applyFilter() throws IOException, InterruptedException {
        String udpOut = udpFiltered ? udpAllowedOut + "\n    meta l4proto udp counter name udp_dropped_out drop" : "";
        String udpIn = udpFiltered ? udpAllowedIn + "\n    meta l4proto udp counter name udp_dropped_in drop" : "";
        String table = """
                table inet %1$s {
                  counter udp_dropped_out { }
                  counter udp_dropped_in { }
                  chain out {
                    type filter hook output priority 0; policy accept;
                    oifname "lo" accept
                    %2$s
                    %3$s
                  }
                  chain in {
                    type filter hook input priority 0; policy accept;
                    iifname "lo" accept
                    %4$s
                  }
                }
                """.formatted(FILTER_TABLE, String.join("\n    ", tcpBlockedOut), udpOut, udpIn);
        // "add table" then "delete table" makes the replacement work whether or not one exists.
        LabShell.nft(namespace, "add table inet " + FILTER_TABLE + "\ndelete table inet " + FILTER_TABLE + "\n" + table);
        filtered = true;
    }

    /** UDP datagrams this host tried to send that the firewall dropped (0 without a firewall). */
    public long udpDroppedOut() throws IOException, InterruptedException {
        if (!filtered) {
            return 0;
        }
        JsonNode counter = new ObjectMapper().readTree(LabShell.runIn(namespace,
                "nft", "-j", "list", "counter", "inet", FILTER_TABLE, "udp_dropped_out"));
        for (JsonNode item : counter.path("nftables")) {
            if (item.has("counter")) {
                return item.path("counter").path("packets").asLong();
            }
        }
        throw new IOException("no counter in " + counter);
    }

    /** Removes every filter rule: the host's traffic flows freely again. */
    public void clearFilter() throws IOException, InterruptedException {
        if (filtered) {
            LabShell.runIn(namespace, "nft", "delete", "table", "inet", FILTER_TABLE);
            filtered = false;
        }
        udpFiltered = false;
        tcpBlockedOut.clear();
    }

    /** What the STUN servers at {@code destinations} (host:port) saw one local UDP port {@code localPort} as. */
    public record StunMappings(int localPort, List<String> mapped) {
    }

    /** Sends a STUN Binding request from one socket to each of {@code destinations} (src/test/clients/stun_probe.py). */
    public StunMappings stunProbe(int localPort, String... destinations) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("sfu.clients.dir", "src/test/clients"), "stun_probe.py");
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toAbsolutePath().toString(),
                "--port", Integer.toString(localPort)));
        command.addAll(List.of(destinations));
        JsonNode result = new ObjectMapper().readTree(LabShell.runIn(namespace, command.toArray(String[]::new)));
        List<String> mapped = new ArrayList<>();
        result.path("mapped").forEach(m -> mapped.add(m.isNull() ? null : m.asText()));
        return new StunMappings(result.path("local").asInt(), mapped);
    }
}
