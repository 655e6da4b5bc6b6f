package org.adam.sfu.room.media;

import java.util.List;
import java.util.function.LongSupplier;

import org.adam.sfu.room.Participant;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.transport.WebRtcTransport;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The life of a subscribe connection's down tracks: attached to their track's layers, told when
 * the client knows their SSRC, detached. Called on the owning participant's actor thread; a down
 * track's state is the media event loop's, so every change is handed to the loop
 * ({@link WebRtcTransport#execute}), and the time a change needs is read there, from
 * {@code nanoClock}.
 */
final class DownTracks {

    private final WebRtcTransport transport;
    private final LongSupplier nanoClock;

    DownTracks(WebRtcTransport transport, LongSupplier nanoClock) {
        this.transport = transport;
        this.nanoClock = nanoClock;
    }

    /**
     * A down track of {@code layers}, forwarding {@code firstLayer} once negotiated; its layer
     * changes are told to {@code self}.
     */
    DownTrack open(TrackId trackId, List<TrackForwarder> layers, int firstLayer, int ssrc, int payloadType,
                   int rtxSsrc, int rtxPayloadType, ActorRef<Participant.Command> self) {
        DownTrack downTrack = new DownTrack(layers, firstLayer, transport, ssrc, payloadType,
                new DownTrack.LayerObserver() {
                    @Override
                    public void layerChanged(DownTrack d, int layer) {
                        self.tell(new Participant.LayerChanged(trackId, layer));
                    }

                    @Override
                    public void targetChanged(DownTrack d, int layer) {
                        self.tell(new Participant.LayerTargetChanged(trackId, layer));
                    }
                });
        transport.execute(() -> {
            // Nothing is sent on it until the client has answered the offer that names it: a
            // keyframe sent earlier would reach a client that does not know the SSRC yet. Then
            // it waits for a keyframe and asks the publisher for one (DownTrack). Set here, on
            // the loop, like all of a down track's state.
            downTrack.setNegotiated(false);
            downTrack.setRtx(rtxSsrc, rtxPayloadType);
            transport.addOutbound(downTrack);
            layers.forEach(layer -> layer.addDownTrack(downTrack));
        });
        return downTrack;
    }

    /** Stops forwarding on {@code downTrack}. */
    void close(DownTrack downTrack) {
        transport.execute(() -> {
            downTrack.layers().forEach(layer -> layer.removeDownTrack(downTrack));
            transport.removeOutbound(downTrack);
        });
    }

    /** The receiver declined RTX: no retransmissions on {@code downTrack}. */
    void stopRtx(DownTrack downTrack) {
        transport.execute(() -> downTrack.setRtx(0, -1));
    }

    /** The client now knows these down tracks' SSRCs: they may be sent. */
    void negotiated(List<DownTrack> known) {
        transport.execute(() -> known.forEach(downTrack -> downTrack.setNegotiated(true)));
    }

    /** Each of these starts again on a keyframe (what was sent while the connection was down is lost). */
    void awaitKeyframes(List<DownTrack> downTracks) {
        transport.execute(() -> downTracks.forEach(DownTrack::awaitKeyframe));
    }

    /** The receiver's preference caps {@code downTrack} at {@code layer}. */
    void setMaxLayer(DownTrack downTrack, int layer) {
        transport.execute(() -> downTrack.setMaxLayer(layer, nanoClock.getAsLong()));
    }
}
