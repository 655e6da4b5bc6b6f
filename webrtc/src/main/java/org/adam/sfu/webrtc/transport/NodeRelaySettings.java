package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Supplier;

import org.adam.sfu.webrtc.turn.TurnCredentials;
import org.adam.sfu.webrtc.turn.TurnTransport;

/**
 * The node's own relay: a TURN server (RFC 8656, reached over UDP or TCP) on which each media worker
 * allocates a relayed address and offers it as a relay candidate, so that clients reach a node
 * that nobody can reach directly (behind a NAT with no port forwarded) through that server.
 *
 * @param server      the TURN server's address (resolved)
 * @param credentials the long-term credential for it, asked for at each allocation (a TURN REST
 *                    credential expires, so a new allocation may need a fresh one)
 * @param transport   how the node reaches the server: UDP, or TCP where UDP does not get out (the
 *                    relayed address is UDP either way)
 */
public record NodeRelaySettings(InetSocketAddress server, Supplier<TurnCredentials> credentials,
                                TurnTransport transport) {

    public NodeRelaySettings {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(transport, "transport");
        if (server.isUnresolved()) {
            throw new IllegalArgumentException("the relay's TURN server " + server.getHostString() + " does not resolve");
        }
    }

    /** Over UDP. */
    public NodeRelaySettings(InetSocketAddress server, Supplier<TurnCredentials> credentials) {
        this(server, credentials, TurnTransport.UDP);
    }
}
