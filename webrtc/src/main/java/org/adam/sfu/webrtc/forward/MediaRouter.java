package org.adam.sfu.webrtc.forward;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** The node's published tracks by track id, so a subscriber's actor finds the forwarder to attach to. */
public final class MediaRouter {

    private final ConcurrentHashMap<String, TrackForwarder> forwarders = new ConcurrentHashMap<>();

    public void add(TrackForwarder forwarder) {
        forwarders.put(forwarder.trackId(), forwarder);
    }

    public void remove(TrackForwarder forwarder) {
        forwarders.remove(forwarder.trackId(), forwarder);
    }

    public TrackForwarder find(String trackId) {
        return forwarders.get(trackId);
    }

    public Collection<TrackForwarder> all() {
        return forwarders.values();
    }
}
