package org.adam.sfu.pipe;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.adam.sfu.webrtc.transport.MediaServer;
import org.adam.sfu.webrtc.transport.WebRtcTransport;

/**
 * Wires the tracks that cross one pipe into the node: down tracks that send this node's layers
 * over the pipe, and forwarders that take the far node's layers into the node's router.
 *
 * <p>Called by the pipe's actor ({@link PipeTransport}), on its thread; what belongs to the media
 * (the transport's SSRC tables, a forwarder's down tracks) is handed to the transport's media
 * loop, which owns it. Keeps no state of its own.
 */
final class PipeForwarding {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PipeKey key;
    private final MediaServer media;
    private final WebRtcTransport transport;

    PipeForwarding(PipeKey key, MediaServer media, WebRtcTransport transport) {
        this.key = key;
        this.media = media;
        this.transport = transport;
    }

    /**
     * Starts sending a track published on this node, its top layer attached until the far node
     * says which layers it needs.
     * @return the track sent, or null if it must not be: not published here, or relayed from a
     *     third node (never sent on: no echo)
     */
    OutgoingPipeTracks.Track startSending(String trackId) {
        List<TrackForwarder> layers = media.router().layers(trackId);
        if (layers.isEmpty() || layers.get(0).isRelayed()) {
            return null;
        }
        // The pipe's own SSRC per layer: publishers' SSRCs may collide, or be unknown yet.
        List<DownTrack> downTracks = new ArrayList<>();
        for (TrackForwarder layer : layers) {
            downTracks.add(new DownTrack(layer, transport, RANDOM.nextInt(), -1));
        }
        transport.execute(() -> downTracks.forEach(transport::addOutbound));
        OutgoingPipeTracks.Track out = new OutgoingPipeTracks.Track(downTracks);
        attachLayers(out, 1 << (layers.size() - 1));
        return out;
    }

    /** Forwards exactly the layers in {@code mask} of an outgoing track (newly attached ones from a keyframe). */
    void attachLayers(OutgoingPipeTracks.Track out, int mask) {
        int before = out.attach(mask);
        List<DownTrack> layers = out.layers();
        transport.execute(() -> {
            for (int i = 0; i < layers.size(); i++) {
                DownTrack downTrack = layers.get(i);
                boolean was = (before & (1 << i)) != 0;
                boolean now = (mask & (1 << i)) != 0;
                if (now && !was) {
                    // It waits for the layer's keyframe and asks the publisher for it itself.
                    downTrack.awaitKeyframe();
                    downTrack.source().addDownTrack(downTrack);
                } else if (was && !now) {
                    downTrack.source().removeDownTrack(downTrack);
                }
            }
        });
    }

    void stopSending(OutgoingPipeTracks.Track out) {
        List<DownTrack> layers = out.layers();
        transport.execute(() -> layers.forEach(downTrack -> {
            downTrack.source().removeDownTrack(downTrack);
            transport.removeOutbound(downTrack);
        }));
    }

    /**
     * Takes a track from the far node into the router: a forwarder per SSRC it comes on, one per
     * layer, lowest first.
     * @return the forwarders
     */
    List<TrackForwarder> startReceiving(TrackInfo track, List<Long> ssrcs) {
        String id = track.trackId().value();
        List<TrackForwarder> layers = new ArrayList<>();
        for (Long ssrc : ssrcs) {
            TrackForwarder layer = new TrackForwarder(id, track.isVideo(), VideoCodec.fromName(track.codec().name()),
                    track.codec().clockRate(), transport, (int) (long) ssrc);
            layers.add(layer);
            transport.execute(() -> transport.addInbound(layer.sourceSsrc(), layer));
        }
        if (layers.size() > 1) {
            media.router().addLayers(id, layers);
        } else {
            media.router().add(layers.get(0));
        }
        int audioLevel = track.audioLevelExtension();
        if (!track.isVideo() && audioLevel > 0) {
            // Piped packets keep the publisher's extensions: this node hears who speaks too.
            TrackForwarder forwarder = layers.get(0);
            media.speakers().register(key.room().toString(), track.participantId().value(),
                    sink -> forwarder.setAudioLevels(audioLevel, sink));
        }
        return layers;
    }

    /** Takes a received track out of the router; nothing to do if it never arrived. */
    void stopReceiving(IncomingPipeTracks.Track in) {
        List<TrackForwarder> layers = in.layers();
        if (layers != null) {
            media.router().remove(layers.get(layers.size() - 1));
            transport.execute(() -> layers.forEach(layer -> {
                transport.removeInbound(layer.sourceSsrc());
                layer.close();
            }));
        }
    }
}
