package org.adam.sfu.webrtc.sdp;

/** The node's side of one transport: what it writes into an offer or answer. */
public record LocalTransportParams(String iceUfrag, String icePwd, String fingerprintSha256, String candidateIp,
                                   int candidatePort) {

    /** The node's one host candidate (RFC 8839 5.1), ICE-lite so only UDP host. */
    String candidateLine() {
        return "1 1 udp 2130706431 " + candidateIp + " " + candidatePort + " typ host";
    }
}
