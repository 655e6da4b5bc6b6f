package org.adam.sfu.pipe;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.adam.sfu.webrtc.forward.DownTrack;

/**
 * The tracks this node sends through one pipe, by track id: each layer's down track with the
 * pipe's own SSRC, and which layers are attached to their forwarders (the far node needs them).
 * A track is in the table while the far node subscribes to it, so the table is bounded by the
 * tracks published on this node.
 *
 * <p>Owned by its pipe's actor ({@link PipeTransport}); only that actor's thread touches it. The
 * down tracks it holds belong to the media loop: the table only names them.
 */
final class OutgoingPipeTracks {

    /** One track sent through the pipe: one down track per layer, each on its own SSRC. */
    static final class Track {
        private final List<DownTrack> layers;
        /** The layers attached to their forwarders, a bit per layer (lowest first). */
        private int attached;

        Track(List<DownTrack> layers) {
            this.layers = layers;
        }

        /** The down tracks, lowest layer first. */
        List<DownTrack> layers() {
            return layers;
        }

        int attached() {
            return attached;
        }

        /**
         * Records that exactly the layers in {@code mask} are attached.
         * @return the layers attached before
         */
        int attach(int mask) {
            int before = attached;
            attached = mask;
            return before;
        }

        /** The SSRC each layer goes out on, unsigned, lowest layer first: what the far node is told. */
        List<Long> ssrcs() {
            return layers.stream().map(d -> d.ssrc() & 0xFFFFFFFFL).toList();
        }
    }

    private final Map<String, Track> tracks = new LinkedHashMap<>();

    /** The track, or null if it is not sent. */
    Track get(String trackId) {
        return tracks.get(trackId);
    }

    void put(String trackId, Track track) {
        tracks.put(trackId, track);
    }

    /** The track no longer sent, or null if it was not. */
    Track remove(String trackId) {
        return tracks.remove(trackId);
    }

    boolean isEmpty() {
        return tracks.isEmpty();
    }

    void forEach(BiConsumer<String, Track> action) {
        tracks.forEach(action);
    }

    Collection<Track> all() {
        return tracks.values();
    }

    void clear() {
        tracks.clear();
    }
}
