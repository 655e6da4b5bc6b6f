package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
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
    /** Candidate addresses client transports check -> those transports (media loop only). */
    private final HashMap<InetSocketAddress, List<WebRtcTransport>> checkTargets = new HashMap<>();

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
            previous.connectivity().forgetAddress(address);
        }
    }

    void unbindAddress(InetSocketAddress address, WebRtcTransport transport) {
        byAddress.remove(address, transport);
    }

    /**
     * {@code transport} sends checks to {@code address}, a candidate its peer named: answers from
     * there are offered to it. Several transports may check one address (nothing stops a client
     * from naming another's), so each keeps its own entry; a check's transaction and integrity
     * decide whose an answer is. Media loop only.
     */
    void addCheckTarget(InetSocketAddress address, WebRtcTransport transport) {
        List<WebRtcTransport> checking = checkTargets.computeIfAbsent(address, a -> new ArrayList<>(1));
        if (!checking.contains(transport)) {
            checking.add(transport);
        }
    }

    /** The transports that check {@code address} (answers from it may be theirs). Media loop only. */
    List<WebRtcTransport> checking(InetSocketAddress address) {
        List<WebRtcTransport> checking = checkTargets.get(address);
        return checking == null ? List.of() : checking;
    }

    /** {@code transport} checks none of {@code addresses} any more. Media loop only. */
    void removeCheckTargets(Collection<InetSocketAddress> addresses, WebRtcTransport transport) {
        for (InetSocketAddress address : addresses) {
            List<WebRtcTransport> checking = checkTargets.get(address);
            if (checking != null && checking.remove(transport) && checking.isEmpty()) {
                checkTargets.remove(address);
            }
        }
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
