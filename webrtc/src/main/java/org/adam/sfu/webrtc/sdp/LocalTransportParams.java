package org.adam.sfu.webrtc.sdp;

/**
 * The node's side of one transport: what it writes into an offer or answer.
 *
 * @param candidatePort    the UDP host candidate's port
 * @param tcpCandidatePort the passive ICE-TCP host candidate's port (RFC 6544), 0 for none
 */
public record LocalTransportParams(String iceUfrag, String icePwd, String fingerprintSha256, String candidateIp,
                                   int candidatePort, int tcpCandidatePort) {

    /**
     * RFC 8445 5.1.2.1 with RFC 6544 4.2's local preference for TCP: (2^13) * direction-pref (4,
     * passive) + other-pref (8191), below UDP's 65535, so a client that can reach both picks UDP.
     */
    static final long TCP_PASSIVE_HOST_PRIORITY = (126L << 24) | ((4L << 13 | 8191) << 8) | 255;

    /** Without an ICE-TCP candidate. */
    public LocalTransportParams(String iceUfrag, String icePwd, String fingerprintSha256, String candidateIp,
                                int candidatePort) {
        this(iceUfrag, icePwd, fingerprintSha256, candidateIp, candidatePort, 0);
    }

    /** The node's UDP host candidate (RFC 8839 5.1); it is ICE-lite, so host candidates only. */
    String candidateLine() {
        return "1 1 udp 2130706431 " + candidateIp + " " + candidatePort + " typ host";
    }

    /** The passive TCP host candidate (RFC 6544 4.5), or null. */
    String tcpCandidateLine() {
        return tcpCandidatePort == 0 ? null : "2 1 tcp " + TCP_PASSIVE_HOST_PRIORITY + " " + candidateIp + " "
                + tcpCandidatePort + " typ host tcptype passive";
    }
}
