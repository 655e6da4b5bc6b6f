package org.adam.sfu.webrtc.dtls;

/**
 * Where a {@link DtlsEndpoint} sends its records: one call per datagram, from the handshake thread
 * or, after the handshake, from the thread that delivered the datagram being answered.
 */
@FunctionalInterface
public interface DtlsOutput {

    void send(byte[] datagram);
}
