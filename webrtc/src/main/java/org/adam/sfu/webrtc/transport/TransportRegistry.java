package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the transport a datagram belongs to: by local ICE username fragment for STUN (the only
 * thing a first packet from an unknown address can be), then by remote address for everything
 * else, as a single-port ICE-lite server must (mediasoup's WebRtcServer, LiveKit's UDP mux).
 */
final class TransportRegistry {

    private final ConcurrentHashMap<String, WebRtcTransport> byUfrag = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetSocketAddress, WebRtcTransport> byAddress = new ConcurrentHashMap<>();

    void register(WebRtcTransport transport) {
        byUfrag.put(transport.localParameters().iceUfrag(), transport);
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
        byUfrag.remove(transport.localParameters().iceUfrag(), transport);
        byAddress.values().removeIf(t -> t == transport);
    }

    Collection<WebRtcTransport> all() {
        return byUfrag.values();
    }

    int size() {
        return byUfrag.size();
    }
}
