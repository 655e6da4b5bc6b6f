package org.adam.sfu.webrtc.sdp;

/** Appends SDP lines with CRLF endings; the node's offers and answers are written with it. */
final class SdpWriter {

    private final StringBuilder out = new StringBuilder(4096);

    SdpWriter line(char type, String value) {
        out.append(type).append('=').append(value).append("\r\n");
        return this;
    }

    SdpWriter attribute(String name) {
        return line('a', name);
    }

    SdpWriter attribute(String name, String value) {
        return line('a', name + ":" + value);
    }

    /**
     * Starts a bundled RTP m-section on the node's transport: the m= line with its payload types,
     * the placeholder connection lines of a BUNDLE member (RFC 8843 7.1), ICE credentials, the
     * certificate fingerprint and the DTLS role.
     */
    SdpWriter bundledRtpSection(String kind, String payloadTypes, LocalTransportParams local, String setup) {
        line('m', kind + " 9 UDP/TLS/RTP/SAVPF " + payloadTypes);
        line('c', "IN IP4 0.0.0.0");
        attribute("rtcp", "9 IN IP4 0.0.0.0");
        return transport(local, setup);
    }

    /**
     * Starts a rejected RTP m-section (port 0, RFC 3264 6; outside any BUNDLE group, RFC 8843
     * 7.3.3), with the transport attributes the other m-sections carry, as browsers write them.
     */
    SdpWriter rejectedRtpSection(String kind, String payloadTypes, LocalTransportParams local, String setup) {
        line('m', kind + " 0 UDP/TLS/RTP/SAVPF " + payloadTypes);
        line('c', "IN IP4 0.0.0.0");
        return transport(local, setup);
    }

    /** ICE credentials, the certificate fingerprint and the DTLS role (RFC 8839, RFC 8842). */
    SdpWriter transport(LocalTransportParams local, String setup) {
        attribute("ice-ufrag", local.iceUfrag());
        attribute("ice-pwd", local.icePwd());
        attribute("fingerprint", "sha-256 " + local.fingerprintSha256());
        return attribute("setup", setup);
    }

    /**
     * The node's candidates (UDP, one per address it listens on; passive TCP if it has it) and the
     * end of its candidates (it gathers no others).
     */
    SdpWriter candidates(LocalTransportParams local) {
        for (String candidate : local.candidateLines()) {
            attribute("candidate", candidate);
        }
        return attribute("end-of-candidates");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
