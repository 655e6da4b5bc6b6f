package org.adam.sfu.webrtc.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * The node's side of one transport: what it writes into an offer or answer.
 *
 * @param candidateIps the addresses of the node's host candidates, one per address it listens
 *                     on (an IPv4 and an IPv6 one on a dual-stack node), most preferred first
 */
public record LocalTransportParams(String iceUfrag, String icePwd, String fingerprintSha256,
                                   List<String> candidateIps, int candidatePort) {

    public LocalTransportParams {
        candidateIps = List.copyOf(candidateIps);
        if (candidateIps.isEmpty()) {
            throw new IllegalArgumentException("a transport needs at least one candidate address");
        }
    }

    /** A node with one address. */
    public LocalTransportParams(String iceUfrag, String icePwd, String fingerprintSha256, String candidateIp,
                                int candidatePort) {
        this(iceUfrag, icePwd, fingerprintSha256, List.of(candidateIp), candidatePort);
    }

    /** The first candidate's address. */
    public String candidateIp() {
        return candidateIps.get(0);
    }

    /** The same transport with other ICE credentials (an ICE restart). */
    public LocalTransportParams withCredentials(String ufrag, String pwd) {
        return new LocalTransportParams(ufrag, pwd, fingerprintSha256, candidateIps, candidatePort);
    }

    /**
     * The node's host candidates (RFC 8839 5.1), ICE-lite so only UDP host: a foundation per
     * address (RFC 8445 5.1.1.3) and a local preference falling by address, so the first is
     * preferred (RFC 8445 5.1.2.1: 126 << 24 for host, 65535 local preference and down).
     */
    List<String> candidateLines() {
        List<String> lines = new ArrayList<>(candidateIps.size());
        for (int i = 0; i < candidateIps.size(); i++) {
            long priority = (126L << 24) + ((65535L - i) << 8) + 255;
            lines.add((i + 1) + " 1 udp " + priority + " " + candidateIps.get(i) + " " + candidatePort + " typ host");
        }
        return lines;
    }
}
