package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import org.adam.sfu.webrtc.dtls.DtlsHandshakePool;

/**
 * @param bindHosts          addresses the node's UDP media sockets bind, one socket each on the
 *                           same port (an IPv4 and an IPv6 address make a dual-stack node)
 * @param port               their port (0: any free port, the same for every address)
 * @param announcedIps       addresses put in ICE candidates, one host candidate each, first preferred
 * @param consentTimeout     a transport with no valid ICE check for this long loses consent (RFC 7675)
 * @param dtlsMtu            largest DTLS record payload
 * @param handshakeTimeout   a DTLS handshake not finished by then (from the moment it may begin) fails the transport
 * @param maxPublisherBitrate the REMB the node sends publishers, in bits/s per publishing transport
 * @param retransmissions    whether receivers' NACKs are answered (off only to measure their worth)
 * @param handshakeThreads   DTLS handshakes that run at once, on the node's handshake threads (decision 0020)
 * @param handshakeQueue     DTLS handshakes that may wait for one of those threads; beyond, they are refused
 * @param iceRestartGrace    how long a client's transport that lost consent waits for an ICE restart before closing
 * @param iceTcp             the passive ICE-TCP candidate (RFC 6544) on the first bind address, or
 *                           {@link IceTcpSettings#OFF}
 * @param relay              the node's own TURN relay, whose relayed address every worker offers as
 *                           a relay candidate; null for none
 * @param stunServer         the STUN server that each pipe socket asks for its server-reflexive
 *                           address, offered to the other node (pipes between nodes behind NAT); null for none
 * @param checkClientCandidates whether the node checks the candidates its clients name, as the
 *                           controlled ICE agent: what opens a NAT in front of the node for the clients' checks
 */
public record MediaServerConfig(List<String> bindHosts, int port, List<String> announcedIps, Duration consentTimeout,
                                int dtlsMtu, Duration handshakeTimeout, long maxPublisherBitrate,
                                boolean retransmissions, int handshakeThreads, int handshakeQueue,
                                Duration iceRestartGrace, IceTcpSettings iceTcp, NodeRelaySettings relay,
                                InetSocketAddress stunServer, boolean checkClientCandidates) {

    /** The grace when none is configured (docs/protocol.md, `ice-restart`). */
    public static final Duration DEFAULT_ICE_RESTART_GRACE = Duration.ofSeconds(15);

    public MediaServerConfig {
        bindHosts = List.copyOf(bindHosts);
        announcedIps = List.copyOf(announcedIps);
        if (bindHosts.isEmpty() || announcedIps.isEmpty()) {
            throw new IllegalArgumentException("the media sockets need an address to bind and one to announce");
        }
        if (handshakeThreads < 1 || handshakeQueue < 1) {
            throw new IllegalArgumentException("DTLS handshakes need at least one thread and one queue slot");
        }
    }

    /** Without ICE-TCP. */
    public MediaServerConfig(List<String> bindHosts, int port, List<String> announcedIps, Duration consentTimeout,
                             int dtlsMtu, Duration handshakeTimeout, long maxPublisherBitrate,
                             boolean retransmissions, int handshakeThreads, int handshakeQueue,
                             Duration iceRestartGrace) {
        this(bindHosts, port, announcedIps, consentTimeout, dtlsMtu, handshakeTimeout, maxPublisherBitrate,
                retransmissions, handshakeThreads, handshakeQueue, iceRestartGrace, IceTcpSettings.OFF, null, null, false);
    }

    /** A node with one media address, the default ICE restart grace and no ICE-TCP. */
    public MediaServerConfig(String bindHost, int port, String announcedIp, Duration consentTimeout,
                             int dtlsMtu, Duration handshakeTimeout, long maxPublisherBitrate,
                             boolean retransmissions, int handshakeThreads, int handshakeQueue) {
        this(List.of(bindHost), port, List.of(announcedIp), consentTimeout, dtlsMtu, handshakeTimeout,
                maxPublisherBitrate, retransmissions, handshakeThreads, handshakeQueue, DEFAULT_ICE_RESTART_GRACE);
    }

    /** The address pipes' own sockets and the ICE-TCP listener bind: the first media address. */
    public String bindHost() {
        return bindHosts.get(0);
    }

    /** The first announced address (the ICE-TCP candidate's and the pipes'). */
    public String announcedIp() {
        return announcedIps.get(0);
    }

    public MediaServerConfig withIceTcp(IceTcpSettings settings) {
        return new MediaServerConfig(bindHosts, port, announcedIps, consentTimeout, dtlsMtu, handshakeTimeout,
                maxPublisherBitrate, retransmissions, handshakeThreads, handshakeQueue, iceRestartGrace, settings, relay,
                stunServer, checkClientCandidates);
    }

    public MediaServerConfig withRelay(NodeRelaySettings settings) {
        return new MediaServerConfig(bindHosts, port, announcedIps, consentTimeout, dtlsMtu, handshakeTimeout,
                maxPublisherBitrate, retransmissions, handshakeThreads, handshakeQueue, iceRestartGrace, iceTcp, settings,
                stunServer, checkClientCandidates);
    }

    public MediaServerConfig withStunServer(InetSocketAddress server) {
        return new MediaServerConfig(bindHosts, port, announcedIps, consentTimeout, dtlsMtu, handshakeTimeout,
                maxPublisherBitrate, retransmissions, handshakeThreads, handshakeQueue, iceRestartGrace, iceTcp, relay,
                server, checkClientCandidates);
    }

    public MediaServerConfig withClientChecks(boolean check) {
        return new MediaServerConfig(bindHosts, port, announcedIps, consentTimeout, dtlsMtu, handshakeTimeout,
                maxPublisherBitrate, retransmissions, handshakeThreads, handshakeQueue, iceRestartGrace, iceTcp, relay,
                stunServer, check);
    }

    /** Everything on 127.0.0.1, without ICE-TCP. */
    public static MediaServerConfig loopback(int port) {
        return new MediaServerConfig("127.0.0.1", port, "127.0.0.1", Duration.ofSeconds(30), 1200,
                Duration.ofSeconds(10), 2_500_000, true, DtlsHandshakePool.defaultThreads(),
                DtlsHandshakePool.DEFAULT_QUEUE);
    }
}
