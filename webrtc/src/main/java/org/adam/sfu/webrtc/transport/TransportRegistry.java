package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the transport a datagram belongs to: by local ICE username fragment for STUN (the only
 * thing a first packet from an unknown address can be), then by remote address for everything
 * else, as a single-port ICE-lite server must (mediasoup's WebRtcServer, LiveKit's UDP mux).
 */
final class TransportRegistry {

    /** Every local ufrag a transport answers: one, or two during an ICE restart. */
    private final ConcurrentHashMap<String, WebRtcTransport> byUfrag = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetSocketAddress, WebRtcTransport> byAddress = new ConcurrentHashMap<>();
    private final Set<WebRtcTransport> transports = ConcurrentHashMap.newKeySet();

    void register(WebRtcTransport transport) {
        transports.add(transport);
        byUfrag.put(transport.localParameters().iceUfrag(), transport);
    }

    /** An ICE restart gave {@code transport} another local ufrag; the old one stays until retired. */
    void registerUfrag(String ufrag, WebRtcTransport transport) {
        byUfrag.put(ufrag, transport);
    }

    /** {@code transport} no longer answers checks naming {@code ufrag} (its ICE restart completed). */
    void retireUfrag(String ufrag, WebRtcTransport transport) {
        byUfrag.remove(ufrag, transport);
    }

    WebRtcTransport byUfrag(String ufrag) {
        return byUfrag.get(ufrag);
    }

    WebRtcTransport byAddress(InetSocketAddress address) {
        return byAddress.get(address);
    }

    /** A valid ICE check came from {@code address}: datagrams from it now belong to {@code transport}. */
    void bindAddress(InetSocketAddress address, WebRtcTransport transport) {
        WebRtcTransport previous = byAddress.put(address, transport);
        if (previous != null && previous != transport) {
            // A 5-tuple moved to another transport (client restarted ICE with the same port).
            previous.forgetAddress(address);
        }
    }

    void unbindAddress(InetSocketAddress address, WebRtcTransport transport) {
        byAddress.remove(address, transport);
    }

    void remove(WebRtcTransport transport) {
        transports.remove(transport);
        byUfrag.values().removeIf(t -> t == transport);
        byAddress.values().removeIf(t -> t == transport);
    }

    Collection<WebRtcTransport> all() {
        return transports;
    }

    int size() {
        return transports.size();
    }
}
