package org.adam.sfu.webrtc.forward;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The node's published tracks by track id, so a subscriber's actor finds the forwarder to attach to. */
public final class MediaRouter {

    private final ConcurrentHashMap<String, TrackForwarder> forwarders = new ConcurrentHashMap<>();
    /** Simulcast tracks' layers, lowest first; the top layer is also in {@link #forwarders}. */
    private final ConcurrentHashMap<String, List<TrackForwarder>> layers = new ConcurrentHashMap<>();

    public void add(TrackForwarder forwarder) {
        forwarders.put(forwarder.trackId(), forwarder);
    }

    public void remove(TrackForwarder forwarder) {
        forwarders.remove(forwarder.trackId(), forwarder);
        layers.remove(forwarder.trackId());
    }

    /** A simulcast track: its layers, lowest first. The top layer stands for the track elsewhere. */
    public void addLayers(String trackId, List<TrackForwarder> trackLayers) {
        layers.put(trackId, List.copyOf(trackLayers));
        forwarders.put(trackId, trackLayers.get(trackLayers.size() - 1));
    }

    /** The layers of a track, lowest first (one for a single-layer track), or empty if unknown. */
    public List<TrackForwarder> layers(String trackId) {
        List<TrackForwarder> simulcast = layers.get(trackId);
        if (simulcast != null) {
            return simulcast;
        }
        TrackForwarder single = forwarders.get(trackId);
        return single == null ? List.of() : List.of(single);
    }

    public TrackForwarder find(String trackId) {
        return forwarders.get(trackId);
    }

    public Collection<TrackForwarder> all() {
        return forwarders.values();
    }
}
