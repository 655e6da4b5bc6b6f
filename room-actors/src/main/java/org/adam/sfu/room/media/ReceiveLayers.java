package org.adam.sfu.room.media;

import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;

/**
 * The simulcast layers one subscriber receives: its preference (protocol `set-quality`), the
 * layer each sent track forwards and the one it aims at, and the demand reported from those.
 * Used only on the owning participant's actor thread.
 */
final class ReceiveLayers {

    private final MlineTable<SentTrack> mlines;
    private final DownTracks downTracks;
    private final LayerDemandReport demand;
    private String quality = "auto";

    ReceiveLayers(MlineTable<SentTrack> mlines, DownTracks downTracks, LayerDemandReport demand) {
        this.mlines = mlines;
        this.downTracks = downTracks;
        this.demand = demand;
    }

    /** The layer a new track of {@code layers} layers starts at, by the preference for all tracks. */
    int firstLayer(int layers) {
        return layerFor(quality, layers);
    }

    /**
     * The receive preference: high, medium or low layer of simulcast tracks; `auto` takes the
     * highest until the node estimates bandwidth per receiver.
     *
     * @param onlyTrack the one track it is for; null: all, and tracks added later
     */
    void setQuality(String newQuality, TrackId onlyTrack) {
        if (onlyTrack == null) {
            quality = newQuality;
        }
        for (MlineTable.MLine<SentTrack> line : mlines.lines()) {
            SentTrack sent = line.content();
            if (!line.sending() || (onlyTrack != null && !sent.track.trackId().equals(onlyTrack))) {
                continue;
            }
            int layer = layerFor(newQuality, sent.downTrack.layers().size());
            // The data plane reports the resulting target (bandwidth may keep it lower).
            downTracks.setMaxLayer(sent.downTrack, layer);
        }
    }

    /** The data plane aims at another layer of {@code trackId} (from preference or bandwidth). */
    void targetChanged(TrackId trackId, int layer) {
        for (MlineTable.MLine<SentTrack> line : mlines.lines()) {
            if (line.sending() && line.content().track.trackId().equals(trackId)) {
                line.content().target = layer;
                report(line);
            }
        }
    }

    /** The data plane switched {@code trackId} to {@code layer}. */
    void layerChanged(TrackId trackId, int layer) {
        for (MlineTable.MLine<SentTrack> line : mlines.lines()) {
            if (line.sending() && line.content().track.trackId().equals(trackId)) {
                line.content().forwarding = layer;
                report(line);
            }
        }
    }

    /** The name of layer {@code index} of a track, as `layer-changed` reports it (its rid). */
    String layerName(TrackId trackId, int index) {
        for (MlineTable.MLine<SentTrack> line : mlines.lines()) {
            TrackInfo track = line.content().track;
            if (track.trackId().equals(trackId) && index < track.layers().size()) {
                return track.layers().get(index);
            }
        }
        return Integer.toString(index);
    }

    /** Reports what {@code line}'s track needs now: its two layers while sending, nothing once freed. */
    void report(MlineTable.MLine<SentTrack> line) {
        SentTrack sent = line.content();
        demand.report(sent.track, line.sending(), sent.forwarding, sent.target);
    }

    static int layerFor(String quality, int layers) {
        return switch (quality) {
            case "low" -> 0;
            case "medium" -> layers / 2;
            default -> layers - 1;
        };
    }
}
