package org.adam.sfu.webrtc.transport;

/** What the node puts in its SDP for one transport: ICE credentials, certificate fingerprint, candidate. */
public record LocalParameters(String iceUfrag, String icePwd, String fingerprintSha256, String candidateIp,
                              int candidatePort) {
}
