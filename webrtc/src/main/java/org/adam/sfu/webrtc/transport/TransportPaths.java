package org.adam.sfu.webrtc.transport;

/**
 * Connected transports by the path their selected ICE pair takes, as a media loop last counted
 * them (once a second): an immutable snapshot for metrics.
 *
 * @param udp   over the UDP media port (or a pipe's socket)
 * @param tcp   over an ICE-TCP connection
 * @param relay through the node's own TURN relay
 */
public record TransportPaths(int udp, int tcp, int relay) {

    public static final TransportPaths NONE = new TransportPaths(0, 0, 0);

    /** Which path a transport's selected pair takes. */
    public enum Path { NONE, UDP, TCP, RELAY }

    public TransportPaths plus(TransportPaths other) {
        return new TransportPaths(udp + other.udp, tcp + other.tcp, relay + other.relay);
    }
}
