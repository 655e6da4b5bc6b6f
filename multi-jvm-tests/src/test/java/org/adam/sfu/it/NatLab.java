package org.adam.sfu.it;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small internet built inside the test JVM's private network namespace (decision 0005, 0024):
 * a "public" segment, a bridge in the test JVM's own namespace, where the node listens on
 * {@link #nodeAddress}; a TURN server ({@link #startTurnWithSecret}, Debian's coturn in a namespace of its
 * own on the segment); NAT routers ({@link #router}) with clients behind them; and hosts directly
 * on the segment ({@link #publicHost}). Addresses: the segment is {@code 198.18.<lab>.0/24} (the
 * benchmarking range, RFC 2544: reserved, so nothing real answers there), the node .1, the TURN
 * server .2 and .3, routers .10 and up, public hosts .100 and up; clients are on
 * {@code 10.<lab>.x.0/24} networks behind their router. {@link #close} removes everything.
 */
public final class NatLab implements AutoCloseable {

    static final String OUTSIDE_INTERFACE = "wan0";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final int index;
    private final String bridge;
    private final Deque<AutoCloseable> teardown = new ArrayDeque<>();
    private int routers;
    private int publicHosts;
    private int namespaces;

    private NatLab(int index) {
        this.index = index;
        this.bridge = "nlbr" + index;
    }

    public static NatLab create() throws IOException, InterruptedException {
        int index = COUNTER.incrementAndGet();
        if (index > 250) {
            throw new IllegalStateException("too many labs in one JVM");
        }
        NatLab lab = new NatLab(index);
        try {
            LabShell.run("ip", "link", "add", lab.bridge, "type", "bridge");
            lab.teardown.push(() -> LabShell.run("ip", "link", "del", lab.bridge));
            LabShell.run("ip", "addr", "add", lab.nodeAddress() + "/24", "dev", lab.bridge);
            LabShell.run("ip", "link", "set", lab.bridge, "up");
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    int index() {
        return index;
    }

    /** The public segment's address in the test JVM's namespace: bind the node's HTTP and media here. */
    public String nodeAddress() {
        return publicAddress(1);
    }

    private String publicAddress(int host) {
        return "198.18." + index + "." + host;
    }

    /** The origin of a node listening on {@link #nodeAddress} at {@code port}, for {@link LabHost#browser}. */
    public String nodeOrigin(int port) {
        return "http://" + nodeAddress() + ":" + port;
    }

    /** The port the lab's TURN server listens on (UDP and TCP). */
    public static final int TURN_PORT = 3478;

    /**
     * Starts coturn on a host of its own on the public segment, listening on .2 (which also relays)
     * and .3 (a second destination for STUN probes), checking TURN REST credentials made with
     * {@code secret}; stopped when the lab closes.
     */
    CoturnProcess startTurnWithSecret(String secret) throws Exception {
        LabHost host = turnHost();
        CoturnProcess server = CoturnProcess.withSharedSecretAt(host.prefix(), turnAddresses(), TURN_PORT, secret);
        teardown.push(server);
        return server;
    }

    /** As {@link #startTurnWithSecret}, with one long-term user instead. */
    CoturnProcess startTurnWithUser(String user, String password) throws Exception {
        LabHost host = turnHost();
        CoturnProcess server = CoturnProcess.withUserAt(host.prefix(), turnAddresses(), TURN_PORT, user, password);
        teardown.push(server);
        return server;
    }

    private List<String> turnAddresses() {
        return List.of(publicAddress(2), publicAddress(3));
    }

    private LabHost turnHost() throws IOException, InterruptedException {
        String namespace = addNamespace("turn");
        attachToSegment(namespace, "nl" + index + "t", turnAddresses());
        return new LabHost(namespace, turnAddresses().get(0));
    }

    /** A router whose outside interface is on the public segment. */
    public NatRouter router(NatType type) throws IOException, InterruptedException {
        int n = ++routers;
        String namespace = addNamespace("nat" + n);
        String outside = publicAddress(10 + n);
        attachToSegment(namespace, "nl" + index + "r" + n, List.of(outside));
        NatRouter router = new NatRouter(this, namespace, type, outside, n);
        router.configure();
        return router;
    }

    /** A host with an address of its own on the public segment, reachable by everyone. */
    public LabHost publicHost(String name) throws IOException, InterruptedException {
        int n = ++publicHosts;
        String namespace = addNamespace("pub" + n + "-" + name);
        String address = publicAddress(100 + n);
        attachToSegment(namespace, "nl" + index + "p" + n, List.of(address));
        return new LabHost(namespace, address);
    }

    /** A new namespace with its loopback up, deleted (with its interfaces) when the lab closes. */
    String addNamespace(String role) throws IOException, InterruptedException {
        String namespace = "natlab-" + ProcessHandle.current().pid() + "-" + index + "-" + (++namespaces) + "-" + role;
        LabShell.run("ip", "netns", "add", namespace);
        teardown.push(() -> LabShell.run("ip", "netns", "del", namespace));
        LabShell.runIn(namespace, "ip", "link", "set", "lo", "up");
        return namespace;
    }

    /** A veth pair from the bridge to {@link #OUTSIDE_INTERFACE} in {@code namespace}, with {@code addresses}. */
    private void attachToSegment(String namespace, String bridgePort, List<String> addresses)
            throws IOException, InterruptedException {
        LabShell.run("ip", "link", "add", bridgePort, "type", "veth", "peer", "name", OUTSIDE_INTERFACE, "netns", namespace);
        LabShell.run("ip", "link", "set", bridgePort, "master", bridge);
        LabShell.run("ip", "link", "set", bridgePort, "up");
        for (String address : addresses) {
            LabShell.runIn(namespace, "ip", "addr", "add", address + "/24", "dev", OUTSIDE_INTERFACE);
        }
        LabShell.runIn(namespace, "ip", "link", "set", OUTSIDE_INTERFACE, "up");
    }

    /** Stops the TURN server and removes every namespace, link and rule of the lab, newest first. */
    @Override
    public void close() throws IOException, InterruptedException {
        Exception first = null;
        while (!teardown.isEmpty()) {
            try {
                teardown.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof InterruptedException interrupted) {
            throw interrupted;
        }
        if (first != null) {
            throw new IOException(first);
        }
    }
}
