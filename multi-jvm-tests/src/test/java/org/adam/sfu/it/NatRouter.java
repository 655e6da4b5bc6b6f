package org.adam.sfu.it;

import java.io.IOException;

/**
 * A home or office router of a {@link NatLab}: a namespace with an outside interface on the
 * public segment and one inside link per client ({@link #client}), forwarding between them and
 * masquerading what leaves on the outside as its {@link NatType} says.
 */
public final class NatRouter {

    private final NatLab lab;
    private final String namespace;
    private final NatType type;
    private final String outsideAddress;
    private final int index;
    private int clients;

    NatRouter(NatLab lab, String namespace, NatType type, String outsideAddress, int index) {
        this.lab = lab;
        this.namespace = namespace;
        this.type = type;
        this.outsideAddress = outsideAddress;
        this.index = index;
    }

    /** Turns on forwarding and the masquerade rule; the outside interface is already up. */
    void configure() throws IOException, InterruptedException {
        LabShell.runIn(namespace, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        LabShell.nft(namespace, """
                table ip natlab_nat {
                  chain postrouting {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "%s" %s
                  }
                }
                """.formatted(NatLab.OUTSIDE_INTERFACE, type.statement()));
    }

    /**
     * Forwards TCP port {@code port} on the outside address to the same port of {@code inside}
     * (a client of this router): what a home router's port forwarding does.
     */
    public void forwardTcp(int port, String inside) throws IOException, InterruptedException {
        LabShell.nft(namespace, """
                table ip natlab_forward_%d {
                  chain prerouting {
                    type nat hook prerouting priority dstnat; policy accept;
                    iifname "%s" tcp dport %d dnat to %s:%d
                  }
                }
                """.formatted(port, NatLab.OUTSIDE_INTERFACE, port, inside, port));
    }

    /**
     * Lets the test JVM (on the public segment) reach this router's clients directly, to watch
     * nodes running behind it (health, metrics). Nothing else on the segment gets the route: the
     * other routers and hosts still reach these clients only through the NAT.
     */
    public void routeFromTestJvm() throws IOException, InterruptedException {
        LabShell.run("ip", "route", "add", "10." + lab.index() + "." + (index * 16) + ".0/20", "via", outsideAddress);
    }

    public NatType type() {
        return type;
    }

    /** The address every client of this router appears from on the public segment. */
    public String outsideAddress() {
        return outsideAddress;
    }

    public String namespace() {
        return namespace;
    }

    /**
     * A new host behind this router, on a /24 of its own ({@code 10.<lab>.<router * 16 + n>.2},
     * the router at .1 as its default gateway).
     */
    public LabHost client(String name) throws IOException, InterruptedException {
        int n = ++clients;
        if (n > 15) {
            throw new IllegalStateException("at most 15 clients per router");
        }
        String subnet = "10." + lab.index() + "." + (index * 16 + n);
        String routerSide = "lan" + n;
        String clientNamespace = lab.addNamespace("c" + index + "-" + n + "-" + name);
        LabShell.run("ip", "link", "add", routerSide, "netns", namespace, "type", "veth",
                "peer", "name", "eth0", "netns", clientNamespace);
        LabShell.runIn(namespace, "ip", "addr", "add", subnet + ".1/24", "dev", routerSide);
        LabShell.runIn(namespace, "ip", "link", "set", routerSide, "up");
        LabShell.runIn(clientNamespace, "ip", "addr", "add", subnet + ".2/24", "dev", "eth0");
        LabShell.runIn(clientNamespace, "ip", "link", "set", "eth0", "up");
        LabShell.runIn(clientNamespace, "ip", "route", "add", "default", "via", subnet + ".1");
        return new LabHost(clientNamespace, subnet + ".2");
    }
}
