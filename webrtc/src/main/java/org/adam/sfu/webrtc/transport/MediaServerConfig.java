package org.adam.sfu.webrtc.transport;

import java.time.Duration;

import org.adam.sfu.webrtc.dtls.DtlsHandshakePool;

/**
 * @param bindHost           address the node's one UDP media socket binds
 * @param port               its port (0: any free port)
 * @param announcedIp        address put in ICE candidates
 * @param consentTimeout     a transport with no valid ICE check for this long is closed (RFC 7675)
 * @param dtlsMtu            largest DTLS record payload
 * @param handshakeTimeout   a DTLS handshake not finished by then (from the moment it may begin) fails the transport
 * @param maxPublisherBitrate the REMB the node sends publishers, in bits/s per publishing transport
 * @param retransmissions    whether receivers' NACKs are answered (off only to measure their worth)
 * @param handshakeThreads   DTLS handshakes that run at once, on the node's handshake threads (decision 0020)
 * @param handshakeQueue     DTLS handshakes that may wait for one of those threads; beyond, they are refused
 * @param iceTcp             the passive ICE-TCP candidate (RFC 6544) on {@code bindHost}, or {@link IceTcpSettings#OFF}
 */
public record MediaServerConfig(String bindHost, int port, String announcedIp, Duration consentTimeout,
                                int dtlsMtu, Duration handshakeTimeout, long maxPublisherBitrate,
                                boolean retransmissions, int handshakeThreads, int handshakeQueue,
                                IceTcpSettings iceTcp) {

    /** Without ICE-TCP. */
    public MediaServerConfig(String bindHost, int port, String announcedIp, Duration consentTimeout,
                             int dtlsMtu, Duration handshakeTimeout, long maxPublisherBitrate,
                             boolean retransmissions, int handshakeThreads, int handshakeQueue) {
        this(bindHost, port, announcedIp, consentTimeout, dtlsMtu, handshakeTimeout, maxPublisherBitrate,
                retransmissions, handshakeThreads, handshakeQueue, IceTcpSettings.OFF);
    }

    public MediaServerConfig {
        if (handshakeThreads < 1 || handshakeQueue < 1) {
            throw new IllegalArgumentException("DTLS handshakes need at least one thread and one queue slot");
        }
    }

    public MediaServerConfig withIceTcp(IceTcpSettings settings) {
        return new MediaServerConfig(bindHost, port, announcedIp, consentTimeout, dtlsMtu, handshakeTimeout,
                maxPublisherBitrate, retransmissions, handshakeThreads, handshakeQueue, settings);
    }

    /** Everything on 127.0.0.1, without ICE-TCP. */
    public static MediaServerConfig loopback(int port) {
        return new MediaServerConfig("127.0.0.1", port, "127.0.0.1", Duration.ofSeconds(30), 1200,
                Duration.ofSeconds(10), 2_500_000, true, DtlsHandshakePool.defaultThreads(),
                DtlsHandshakePool.DEFAULT_QUEUE);
    }
}
