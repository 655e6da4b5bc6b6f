package org.adam.sfu.bench.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * Where the load generator may send anything: loopback only, unless an address was named on the
 * command line with {@code --allow-target} (an address inside a network namespace the benchmark
 * itself created). Host names are not resolved, so nothing but a literal address or
 * {@code localhost} can pass; the node's ICE candidates are checked the same way before the
 * first datagram goes out.
 */
public final class TargetPolicy {

    private final Set<InetAddress> allowed;

    public TargetPolicy(Set<InetAddress> explicitlyAllowed) {
        this.allowed = Set.copyOf(explicitlyAllowed);
    }

    public static TargetPolicy loopbackOnly() {
        return new TargetPolicy(Set.of());
    }

    /** Parses an address literal given with {@code --allow-target}; names are refused. */
    public static InetAddress literal(String text) {
        if (!text.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
            throw new IllegalArgumentException("not an IP address literal: " + text);
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: " + text, e);
        }
    }

    /** {@code localhost} as the loopback address, else {@link #literal}. */
    public static InetAddress literalOrLoopback(String host) {
        return host.equalsIgnoreCase("localhost") ? InetAddress.getLoopbackAddress() : literal(host);
    }

    public boolean permits(InetAddress address) {
        return address.isLoopbackAddress() || allowed.contains(address);
    }

    /** Throws unless {@code target} is loopback or explicitly allowed. */
    public void check(InetSocketAddress target) {
        if (target.isUnresolved() || !permits(target.getAddress())) {
            throw new IllegalArgumentException("refusing to send to " + target
                    + ": only loopback (or an address given with --allow-target) is a target");
        }
    }

    /** Throws unless the URL's host is {@code localhost}, a loopback literal or an allowed literal. */
    public void check(URI url) {
        String host = url.getHost();
        if (host == null) {
            throw new IllegalArgumentException("no host in " + url);
        }
        if (host.equalsIgnoreCase("localhost")) {
            return;
        }
        if (!permits(literal(host))) {
            throw new IllegalArgumentException("refusing target " + url
                    + ": only loopback (or an address given with --allow-target) is a target");
        }
    }
}
