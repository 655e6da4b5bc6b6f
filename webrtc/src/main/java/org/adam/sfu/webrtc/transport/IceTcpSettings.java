package org.adam.sfu.webrtc.transport;

import java.time.Duration;

/**
 * The node's passive ICE-TCP candidate (RFC 6544), for clients whose UDP is blocked.
 *
 * @param port                   TCP port of the first media worker (worker i listens on port + i);
 *                               0: any free port; -1: no ICE-TCP
 * @param maxUnauthenticated     connections, node-wide, that have not yet sent a valid ICE check;
 *                               beyond, new ones are closed as they are accepted
 * @param authenticationTimeout  a connection without a valid ICE check by then is closed
 * @param maxPerTransport        connections one peer connection may hold at once (a browser opens
 *                               one per local interface)
 */
public record IceTcpSettings(int port, int maxUnauthenticated, Duration authenticationTimeout, int maxPerTransport) {

    public static final IceTcpSettings OFF = new IceTcpSettings(-1, 1, Duration.ofSeconds(5), 1);

    public static final int DEFAULT_MAX_UNAUTHENTICATED = 256;
    public static final Duration DEFAULT_AUTHENTICATION_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_PER_TRANSPORT = 8;

    public IceTcpSettings {
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("ICE-TCP port " + port + " is not a port");
        }
        if (maxUnauthenticated < 1 || maxPerTransport < 1 || authenticationTimeout.isNegative()
                || authenticationTimeout.isZero()) {
            throw new IllegalArgumentException("ICE-TCP needs room for one connection and a positive timeout");
        }
    }

    /** ICE-TCP on {@code port} (0: any free port) with the default bounds. */
    public static IceTcpSettings onPort(int port) {
        return new IceTcpSettings(port, DEFAULT_MAX_UNAUTHENTICATED, DEFAULT_AUTHENTICATION_TIMEOUT,
                DEFAULT_MAX_PER_TRANSPORT);
    }

    public boolean enabled() {
        return port >= 0;
    }

    /** The port worker {@code index} listens on (0 stays any free port). */
    int portOf(int index) {
        return port == 0 ? 0 : port + index;
    }
}
