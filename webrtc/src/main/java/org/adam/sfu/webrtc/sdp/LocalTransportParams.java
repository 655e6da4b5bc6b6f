package org.adam.sfu.webrtc.sdp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's side of one transport: what it writes into an offer or answer.
 *
 * @param candidateIps     the addresses of the node's UDP host candidates, one per address it
 *                         listens on (an IPv4 and an IPv6 one on a dual-stack node), most preferred first
 * @param candidatePort    the UDP host candidates' port
 * @param tcpCandidatePort the passive ICE-TCP host candidate's port (RFC 6544) on the first
 *                         address, 0 for none
 * @param relayCandidate   the node's relayed address on its TURN server, offered as a relay
 *                         candidate; null for none
 * @param reflexiveCandidate the address a STUN server saw the first host candidate's socket
 *                         from (a node behind NAT), offered as a server-reflexive candidate; null
 *                         for none
 */
public record LocalTransportParams(String iceUfrag, String icePwd, String fingerprintSha256,
                                   List<String> candidateIps, int candidatePort, int tcpCandidatePort,
                                   InetSocketAddress relayCandidate, InetSocketAddress reflexiveCandidate) {

    /**
     * RFC 8445 5.1.2.1 with RFC 6544 4.2's local preference for TCP: (2^13) * direction-pref (4,
     * passive) + other-pref (8191), below UDP's 65535, so a client that can reach both picks UDP.
     */
    static final long TCP_PASSIVE_HOST_PRIORITY = (126L << 24) | ((4L << 13 | 8191) << 8) | 255;

    /** RFC 8445 5.1.2.1: type preference 0 for relayed candidates, the lowest, so any direct path wins. */
    static final long RELAY_PRIORITY = (0L << 24) | (65535L << 8) | 255;

    /** RFC 8445 5.1.2.1: type preference 100 for server-reflexive candidates, below host, above relay. */
    static final long REFLEXIVE_PRIORITY = (100L << 24) | (65535L << 8) | 255;

    public LocalTransportParams {
        candidateIps = List.copyOf(candidateIps);
        if (candidateIps.isEmpty()) {
            throw new IllegalArgumentException("a transport needs at least one candidate address");
        }
    }

    /** Without a server-reflexive candidate. */
    public LocalTransportParams(String iceUfrag, String icePwd, String fingerprintSha256, List<String> candidateIps,
                                int candidatePort, int tcpCandidatePort, InetSocketAddress relayCandidate) {
        this(iceUfrag, icePwd, fingerprintSha256, candidateIps, candidatePort, tcpCandidatePort, relayCandidate, null);
    }

    /** Without a relay candidate. */
    public LocalTransportParams(String iceUfrag, String icePwd, String fingerprintSha256, List<String> candidateIps,
                                int candidatePort, int tcpCandidatePort) {
        this(iceUfrag, icePwd, fingerprintSha256, candidateIps, candidatePort, tcpCandidatePort, null);
    }

    /** Without an ICE-TCP candidate. */
    public LocalTransportParams(String iceUfrag, String icePwd, String fingerprintSha256, List<String> candidateIps,
                                int candidatePort) {
        this(iceUfrag, icePwd, fingerprintSha256, candidateIps, candidatePort, 0);
    }

    /** A node with one address. */
    public LocalTransportParams(String iceUfrag, String icePwd, String fingerprintSha256, String candidateIp,
                                int candidatePort, int tcpCandidatePort) {
        this(iceUfrag, icePwd, fingerprintSha256, List.of(candidateIp), candidatePort, tcpCandidatePort);
    }

    /** A node with one address, without an ICE-TCP candidate. */
    public LocalTransportParams(String iceUfrag, String icePwd, String fingerprintSha256, String candidateIp,
                                int candidatePort) {
        this(iceUfrag, icePwd, fingerprintSha256, List.of(candidateIp), candidatePort, 0);
    }

    /** The first candidate's address. */
    public String candidateIp() {
        return candidateIps.get(0);
    }

    /** The same transport with other ICE credentials (an ICE restart). */
    public LocalTransportParams withCredentials(String ufrag, String pwd) {
        return new LocalTransportParams(ufrag, pwd, fingerprintSha256, candidateIps, candidatePort, tcpCandidatePort,
                relayCandidate, reflexiveCandidate);
    }

    /** The same transport with a server-reflexive candidate at {@code address}. */
    public LocalTransportParams withReflexiveCandidate(InetSocketAddress address) {
        return new LocalTransportParams(iceUfrag, icePwd, fingerprintSha256, candidateIps, candidatePort,
                tcpCandidatePort, relayCandidate, address);
    }

    /**
     * The node's host candidates (RFC 8839 5.1), ICE-lite so host only: a UDP one per address,
     * with a foundation each (RFC 8445 5.1.1.3) and a local preference falling by address, so the
     * first is preferred (RFC 8445 5.1.2.1: 126 << 24 for host, 65535 local preference and down);
     * then the passive TCP one (RFC 6544 4.5) on the first address, if there is one; then the
     * server-reflexive and the relayed ones (RFC 8445 5.1.1.1, 5.1.1.2), related to the first host
     * candidate, if there are.
     */
    List<String> candidateLines() {
        List<String> lines = new ArrayList<>(candidateIps.size() + 3);
        for (int i = 0; i < candidateIps.size(); i++) {
            long priority = (126L << 24) + ((65535L - i) << 8) + 255;
            lines.add((i + 1) + " 1 udp " + priority + " " + candidateIps.get(i) + " " + candidatePort + " typ host");
        }
        if (tcpCandidatePort != 0) {
            lines.add((candidateIps.size() + 1) + " 1 tcp " + TCP_PASSIVE_HOST_PRIORITY + " " + candidateIp() + " "
                    + tcpCandidatePort + " typ host tcptype passive");
        }
        if (reflexiveCandidate != null) {
            lines.add(relatedCandidate(candidateIps.size() + 3, REFLEXIVE_PRIORITY, reflexiveCandidate, "srflx"));
        }
        if (relayCandidate != null) {
            lines.add(relatedCandidate(candidateIps.size() + 2, RELAY_PRIORITY, relayCandidate, "relay"));
        }
        return lines;
    }

    private String relatedCandidate(int foundation, long priority, InetSocketAddress address, String type) {
        return foundation + " 1 udp " + priority + " " + address.getAddress().getHostAddress() + " " + address.getPort()
                + " typ " + type + " raddr " + candidateIp() + " rport " + candidatePort;
    }
}
