package org.adam.sfu.webrtc.dtls;

/** Where a {@link DtlsEndpoint} sends its records: one call per datagram, from the handshake thread. */
@FunctionalInterface
public interface DtlsOutput {

    void send(byte[] datagram);
}
