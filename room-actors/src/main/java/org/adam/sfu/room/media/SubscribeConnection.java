package org.adam.sfu.room.media;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.sdp.BundlePayloadTypes;
import org.adam.sfu.webrtc.sdp.HeaderExtensionUris;
import org.adam.sfu.webrtc.sdp.OutgoingTrack;
import org.adam.sfu.webrtc.sdp.SdpNegotiationException;
import org.adam.sfu.webrtc.sdp.SdpParseException;
import org.adam.sfu.webrtc.sdp.SubscribeAnswer;
import org.adam.sfu.webrtc.sdp.SubscribeOfferBuilder;
import org.adam.sfu.webrtc.transport.MediaServer;
import org.adam.sfu.webrtc.transport.TransportListener;
import org.adam.sfu.webrtc.transport.WebRtcTransport;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A participant's subscribe peer connection: the node offers one m-line per track the room says
 * this participant receives ({@link MlineTable}: removed tracks' places are recycled, so the offer
 * holds as many m-lines as tracks are received at once), and renegotiates when that set changes.
 * At most one offer is outstanding (protocol.md); changes made meanwhile go into the next one.
 * Down tracks are driven through {@link DownTracks}, tracks of other nodes held through
 * {@link RemoteTrackHolds}, layer needs reported through {@link LayerDemandReport}. Used only by
 * the owning Participant actor.
 */
public final class SubscribeConnection {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RoomKey room;
    private final ActorRef<Participant.Command> self;
    private final MediaServices media;
    /** The media worker this room runs on (decision 0017). */
    private final MediaServer worker;
    private final RemoteTrackHolds remote;
    private final ReceiveLayers receiveLayers;
    private List<TrackInfo> lastWanted = List.of();
    private final WebRtcTransport transport;
    private final DownTracks downTracks;
    private final MlineTable<SentTrack> mlines = new MlineTable<>();
    private final BundlePayloadTypes payloadTypes = new BundlePayloadTypes();
    /** Wanted tracks the client cannot decode (it refused their codec): not offered again while wanted. */
    private final Set<TrackId> refusedCodec = new HashSet<>();
    private final long sessionId = RANDOM.nextLong() >>> 1;
    private final SubscribeOfferState offers = new SubscribeOfferState();
    private boolean connectedBefore;

    /** Where the layers this participant needs of each simulcast track are reported (a bit per layer; 0: none). */
    @FunctionalInterface
    public interface LayerDemand {
        void demand(TrackId trackId, int layers);
    }

    public SubscribeConnection(ParticipantId owner, RoomKey room, ActorRef<Participant.Command> self,
                               MediaServices media, TransportListener listener, LayerDemand layerDemand) {
        this(owner, room, self, media, listener, layerDemand, System::nanoTime);
    }

    /** @param nanoClock the time (ns) down tracks' layer changes are made at, read on the media event loop */
    public SubscribeConnection(ParticipantId owner, RoomKey room, ActorRef<Participant.Command> self,
                               MediaServices media, TransportListener listener, LayerDemand layerDemand,
                               LongSupplier nanoClock) {
        this.room = room;
        this.self = self;
        this.media = media;
        this.worker = media.server(room);
        this.transport = worker.createTransport(owner + "/subscribe", listener);
        this.downTracks = new DownTracks(transport, nanoClock);
        this.remote = new RemoteTrackHolds(media.remoteTracks(), room, owner, self);
        this.receiveLayers = new ReceiveLayers(mlines, downTracks,
                new LayerDemandReport(layerDemand, remote, media.nodeId()));
    }

    /**
     * Brings the data plane in line with the tracks this participant should now receive.
     *
     * @return wanted tracks that cannot be offered: their codec configuration is new and the
     *         bundle has no payload type left for it (publishers write the format parameters, so
     *         a publisher could otherwise make every subscriber's actor fail). They are not
     *         offered while they stay wanted.
     */
    public List<TrackId> update(List<TrackInfo> wanted) {
        List<TrackId> unavailable = new ArrayList<>();
        lastWanted = List.copyOf(wanted);
        Set<TrackId> wantedIds = new HashSet<>();
        wanted.forEach(t -> wantedIds.add(t.trackId()));
        remote.releaseAllBut(wantedIds);
        Set<TrackId> active = new HashSet<>();
        for (MlineTable.MLine<SentTrack> line : mlines.lines()) {
            if (!line.sending()) {
                continue;
            }
            if (wantedIds.contains(line.content().track.trackId())) {
                active.add(line.content().track.trackId());
            } else {
                deactivate(line);
                offers.changed();
            }
        }
        refusedCodec.retainAll(wantedIds);
        for (TrackInfo track : wanted) {
            if (active.contains(track.trackId()) || refusedCodec.contains(track.trackId())) {
                continue;
            }
            BundlePayloadTypes.Assigned numbers;
            try {
                numbers = payloadTypes.assign(SentTrack.codecOf(track, track.codec().payloadType()), track.isVideo());
            } catch (IllegalStateException exhausted) {
                refusedCodec.add(track.trackId());
                unavailable.add(track.trackId());
                continue;
            }
            boolean isRemote = !track.node().equals(media.nodeId());
            if (isRemote) {
                // Published on another node: a pipe brings it here, once for all its receivers.
                remote.hold(track);
            }
            List<TrackForwarder> layers = worker.router().layers(track.trackId().value());
            if (layers.isEmpty() || (isRemote && remote.awaiting(track.trackId()))) {
                continue;
            }
            int ssrc = RANDOM.nextInt();
            int firstLayer = receiveLayers.firstLayer(layers.size());
            int rtxSsrc = RANDOM.nextInt();
            DownTrack downTrack = downTracks.open(track.trackId(), layers, firstLayer, ssrc, numbers.payloadType(),
                    rtxSsrc, numbers.rtxPayloadType(), self);
            MlineTable.MLine<SentTrack> line = mlines.add(track.kind(),
                    new SentTrack(track, downTrack, numbers, rtxSsrc, firstLayer));
            receiveLayers.report(line);
            offers.changed();
        }
        return unavailable;
    }

    /** The receive preference (protocol `set-quality`), for all tracks or only {@code onlyTrack}. */
    public void setQuality(String newQuality, TrackId onlyTrack) {
        receiveLayers.setQuality(newQuality, onlyTrack);
    }

    /** The data plane aims at another layer of {@code trackId} (from preference or bandwidth). */
    public void onTargetChanged(TrackId trackId, int layer) {
        receiveLayers.targetChanged(trackId, layer);
    }

    /** The data plane switched {@code trackId} to {@code layer}. */
    public void onLayerChanged(TrackId trackId, int layer) {
        receiveLayers.layerChanged(trackId, layer);
    }

    /** The name of layer {@code index} of a track, as `layer-changed` reports it (its rid). */
    public String layerName(TrackId trackId, int index) {
        return receiveLayers.layerName(trackId, index);
    }

    /**
     * A track of another node arrived through a pipe: forward it if it is still wanted.
     *
     * @return as {@link #update}
     */
    public List<TrackId> onRemoteTrackReady(TrackId trackId) {
        if (remote.arrived(trackId)) {
            return update(lastWanted);
        }
        return List.of();
    }

    /** The next offer to send, if something changed and no offer is waiting for its answer. */
    public Optional<String> nextOffer() {
        if (!offers.due() || mlines.isEmpty()) {
            return Optional.empty();
        }
        mlines.offered();
        List<OutgoingTrack> tracks = new ArrayList<>(mlines.size());
        for (MlineTable.MLine<SentTrack> line : mlines.lines()) {
            tracks.add(line.content().outgoing(line.mid(), line.stage()));
        }
        long version = offers.offering();
        String sdp = SubscribeOfferBuilder.offer(transport.localParameters(), sessionId, version, tracks);
        offers.offered(sdp);
        return Optional.of(sdp);
    }

    /**
     * ICE restart of this connection (the client asked with `restart-ice`): the next offer carries
     * new ICE credentials of the node's (JSEP 5.2.1); DTLS, SRTP and the tracks stay. It is sent
     * once no offer waits for its answer.
     *
     * @return false if nothing was ever offered on this connection, so there is nothing to restart
     */
    public boolean restartIce() {
        if (mlines.isEmpty()) {
            return false;
        }
        transport.restartIce();
        offers.changed();
        return true;
    }

    public boolean awaitingAnswer() {
        return offers.awaitingAnswer();
    }

    /** The offer that waits for its answer, if one does (it may have been lost with a socket). */
    public Optional<String> outstandingOffer() {
        return offers.outstanding();
    }

    /**
     * Applies the client's answer to the outstanding offer.
     *
     * @return the tracks the client refused for their codec (it rejected their m-line, or kept
     *         not the codec's payload type): they are no longer sent, nor offered again while wanted
     */
    public List<TrackId> handleAnswer(String sdp) throws NegotiationException {
        SubscribeAnswer answer;
        try {
            answer = SubscribeAnswer.read(sdp);
        } catch (SdpParseException | SdpNegotiationException e) {
            offers.answered();
            throw new NegotiationException("subscribe answer: " + e.getMessage());
        }
        offers.answered();
        mlines.answered();
        // A track the client cannot decode is not sent to it (black video otherwise), and its
        // m-line goes inactive in the next offer.
        List<TrackId> refused = new ArrayList<>();
        for (MlineTable.MLine<SentTrack> line : SubscribeAnswerCheck.refusedCodec(mlines, answer)) {
            deactivate(line);
            offers.changed();
            refusedCodec.add(line.content().track.trackId());
            refused.add(line.content().track.trackId());
        }
        SubscribeAnswerCheck.rtxDeclined(mlines, answer).forEach(downTracks::stopRtx);
        transport.useTransportCc(answer.transportCc() ? HeaderExtensionUris.SUBSCRIBE_TRANSPORT_CC_ID : -1);
        downTracks.negotiated(SubscribeAnswerCheck.accepted(mlines, answer));
        // Every answer: one after an ICE restart carries the client's new credentials.
        transport.setRemoteParameters(TransportParams.fromSdp(answer.remote()));
        answer.remote().candidates().forEach(transport::addRemoteCandidate);
        return refused;
    }

    /**
     * The connection came up. Down tracks wait for their first keyframe from the start; when it
     * comes back after a loss, every forwarded video starts again on a keyframe, which its down
     * track asks the publisher for (what was sent while it was down did not arrive).
     */
    public void onConnected() {
        if (!connectedBefore) {
            connectedBefore = true;
            return;
        }
        downTracks.awaitKeyframes(mlines.lines().stream().filter(MlineTable.MLine::sending)
                .map(line -> line.content().downTrack).toList());
    }

    /** How many m-lines the next offer holds (the connection's whole history is not kept). */
    public int mLineCount() {
        return mlines.size();
    }

    public List<TrackId> receiving() {
        return mlines.lines().stream().filter(MlineTable.MLine::sending).map(l -> l.content().track.trackId())
                .toList();
    }

    public void close() {
        remote.releaseAllBut(Set.of());
        for (MlineTable.MLine<SentTrack> line : mlines.lines()) {
            if (line.sending()) {
                deactivate(line);
            }
        }
        transport.close("participant left");
    }

    /** Stops forwarding on {@code line}; its m-line is rejected in the next offer (inactive if it is the first). */
    private void deactivate(MlineTable.MLine<SentTrack> line) {
        mlines.free(line);
        receiveLayers.report(line);
        downTracks.close(line.content().downTrack);
    }

    /** A candidate the client trickled for this connection. */
    public void addRemoteCandidate(String candidate) {
        transport.addRemoteCandidate(candidate);
    }
}
