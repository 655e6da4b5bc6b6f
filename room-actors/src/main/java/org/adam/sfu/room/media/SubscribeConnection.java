package org.adam.sfu.room.media;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.adam.sfu.room.CodecSpec;
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
import org.adam.sfu.webrtc.sdp.RtpCodec;
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
 * this participant receives, and renegotiates when that set changes. At most one offer is
 * outstanding (protocol.md); changes made meanwhile go into the next one. A removed track's
 * m-line is rejected in the next offer (port 0) and, once the client has answered that offer,
 * its place is recycled for the next new track of the same kind, with a new mid (RFC 8829
 * 5.2.2); mids are never reused. So the offer holds as many m-lines as tracks are received at
 * once, however many come and go. The first m-line carries the BUNDLE transport: it is never
 * rejected, only made inactive. Used only by the owning Participant actor.
 */
public final class SubscribeConnection {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where a slot's m-line is in its life. */
    private enum Stage {
        /** Forwarding its track. */
        SENDING,
        /** Its track is gone; it is the first m-line, kept (inactive) for the BUNDLE transport. */
        INACTIVE,
        /** Its track is gone; rejected in offers, but no answer to such an offer has been applied yet. */
        REJECTING,
        /** Rejected in the client's current description: its place may take a new track. */
        RECYCLABLE
    }

    private static final class Slot {
        final String mid;
        final TrackInfo track;
        final DownTrack downTrack;
        /** The codec's and RTX's numbers in this connection's bundle (the publisher's are renumbered). */
        final int payloadType;
        final int rtxPayloadType;
        final int rtxSsrc;
        Stage stage = Stage.SENDING;
        /** Named in an offer already sent: only then can an answer accept or refuse it. */
        boolean offered;
        /** Rejected in the offer that is out: its answer makes the place recyclable. */
        boolean offeredRejected;
        /** The layer forwarded now and the one the data plane moves to next (simulcast). */
        int forwarding;
        int target;

        Slot(String mid, TrackInfo track, DownTrack downTrack, BundlePayloadTypes.Assigned payloadTypes, int rtxSsrc) {
            this.mid = mid;
            this.track = track;
            this.downTrack = downTrack;
            this.payloadType = payloadTypes.payloadType();
            this.rtxPayloadType = payloadTypes.rtxPayloadType();
            this.rtxSsrc = rtxSsrc;
        }

        boolean sending() {
            return stage == Stage.SENDING;
        }
    }

    private final ParticipantId owner;
    private final LayerDemand layerDemand;
    private final RoomKey room;
    private final ActorRef<Participant.Command> self;
    private final MediaServices media;
    /** The media worker this room runs on (decision 0017). */
    private final MediaServer worker;
    /** Tracks of other nodes asked of the broker and not yet ready here. */
    private final Set<TrackId> awaitingRemote = new HashSet<>();
    /** Tracks of other nodes held for this participant (ready or not): released when unwanted. */
    private final Set<TrackId> heldRemote = new HashSet<>();
    private List<TrackInfo> lastWanted = List.of();
    private String quality = "auto";
    private final WebRtcTransport transport;
    /** The m-lines in offer order. */
    private final List<Slot> slots = new ArrayList<>();
    /** The next mid to give: mids are never reused on a connection. */
    private int nextMid;
    private final BundlePayloadTypes payloadTypes = new BundlePayloadTypes();
    /** Wanted tracks the client cannot decode (it refused their codec): not offered again while wanted. */
    private final Set<TrackId> refusedCodec = new HashSet<>();
    private final long sessionId = RANDOM.nextLong() >>> 1;
    private long sessionVersion;
    private boolean offerOutstanding;
    /** The offer waiting for its answer, sent again to a client that resumes on a new socket. */
    private String outstandingOffer;
    private boolean changed;
    private boolean connectedBefore;

    /** Where the layers this participant needs of each simulcast track are reported (a bit per layer; 0: none). */
    @FunctionalInterface
    public interface LayerDemand {
        void demand(TrackId trackId, int layers);
    }

    public SubscribeConnection(ParticipantId owner, RoomKey room, ActorRef<Participant.Command> self,
                               MediaServices media, TransportListener listener, LayerDemand layerDemand) {
        this.owner = owner;
        this.layerDemand = layerDemand;
        this.room = room;
        this.self = self;
        this.media = media;
        this.worker = media.server(room);
        this.transport = worker.createTransport(owner + "/subscribe", listener);
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
        releaseRemoteNotIn(wantedIds);
        Set<TrackId> active = new HashSet<>();
        for (Slot slot : slots) {
            if (!slot.sending()) {
                continue;
            }
            if (wantedIds.contains(slot.track.trackId())) {
                active.add(slot.track.trackId());
            } else {
                deactivate(slot);
                changed = true;
            }
        }
        refusedCodec.retainAll(wantedIds);
        for (TrackInfo track : wanted) {
            if (active.contains(track.trackId()) || refusedCodec.contains(track.trackId())) {
                continue;
            }
            BundlePayloadTypes.Assigned numbers;
            try {
                numbers = payloadTypes.assign(codecOf(track), track.isVideo());
            } catch (IllegalStateException exhausted) {
                refusedCodec.add(track.trackId());
                unavailable.add(track.trackId());
                continue;
            }
            boolean remote = !track.node().equals(media.nodeId());
            if (remote && heldRemote.add(track.trackId())) {
                // Published on another node: a pipe brings it here, once for all its receivers.
                awaitingRemote.add(track.trackId());
                media.remoteTracks().need(room, track, owner, self);
            }
            List<TrackForwarder> layers = worker.router().layers(track.trackId().value());
            if (layers.isEmpty() || (remote && awaitingRemote.contains(track.trackId()))) {
                continue;
            }
            int ssrc = RANDOM.nextInt();
            TrackId trackId = track.trackId();
            int firstLayer = layerFor(quality, layers.size());
            DownTrack downTrack = new DownTrack(layers, firstLayer, transport, ssrc, numbers.payloadType(),
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
            int rtxPt = numbers.rtxPayloadType();
            int rtxSsrc = RANDOM.nextInt();
            transport.execute(() -> {
                // Nothing is sent on it until the client has answered the offer that names it: a
                // keyframe sent earlier would reach a client that does not know the SSRC yet. Then
                // it waits for a keyframe and asks the publisher for one (DownTrack). Set here, on
                // the loop, like all of a down track's state.
                downTrack.setNegotiated(false);
                downTrack.setRtx(rtxSsrc, rtxPt);
                transport.addOutbound(downTrack);
                layers.forEach(layer -> layer.addDownTrack(downTrack));
            });
            Slot slot = new Slot(Integer.toString(nextMid++), track, downTrack, numbers, rtxSsrc);
            slot.forwarding = firstLayer;
            slot.target = firstLayer;
            int recycled = recyclablePlaceFor(track.kind());
            if (recycled >= 0) {
                slots.set(recycled, slot);
            } else {
                slots.add(slot);
            }
            reportDemand(slot);
            changed = true;
        }
        return unavailable;
    }

    /** The first place a new track of {@code kind} can take (JSEP recycling), or -1 to add an m-line. */
    private int recyclablePlaceFor(String kind) {
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            if (slot.stage == Stage.RECYCLABLE && slot.track.kind().equals(kind)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The receive preference (protocol `set-quality`): high, medium or low layer of simulcast
     * tracks; `auto` takes the highest until the node estimates bandwidth per receiver.
     */
    public void setQuality(String newQuality, TrackId onlyTrack) {
        if (onlyTrack == null) {
            quality = newQuality;
        }
        for (Slot slot : slots) {
            if (!slot.sending() || (onlyTrack != null && !slot.track.trackId().equals(onlyTrack))) {
                continue;
            }
            DownTrack downTrack = slot.downTrack;
            int layer = layerFor(newQuality, downTrack.layers().size());
            // The data plane reports the resulting target (bandwidth may keep it lower).
            transport.execute(() -> downTrack.setMaxLayer(layer, System.nanoTime()));
        }
    }

    /** The data plane aims at another layer of {@code trackId} (from preference or bandwidth). */
    public void onTargetChanged(TrackId trackId, int layer) {
        for (Slot slot : slots) {
            if (slot.sending() && slot.track.trackId().equals(trackId)) {
                slot.target = layer;
                reportDemand(slot);
            }
        }
    }

    /** The data plane switched {@code trackId} to {@code layer}. */
    public void onLayerChanged(TrackId trackId, int layer) {
        for (Slot slot : slots) {
            if (slot.sending() && slot.track.trackId().equals(trackId)) {
                slot.forwarding = layer;
                reportDemand(slot);
            }
        }
    }

    /** The name of layer {@code index} of a track, as `layer-changed` reports it (its rid). */
    public String layerName(TrackId trackId, int index) {
        for (Slot slot : slots) {
            if (slot.track.trackId().equals(trackId) && index < slot.track.layers().size()) {
                return slot.track.layers().get(index);
            }
        }
        return Integer.toString(index);
    }

    /**
     * Reports the layers this receiver needs of a simulcast track: the one forwarded and the one
     * aimed at. The room pauses the publisher's other layers; for a track from another node, the
     * pipe also carries only the layers some receiver here needs.
     */
    private void reportDemand(Slot slot) {
        TrackInfo track = slot.track;
        if (track.layers().isEmpty()) {
            return;
        }
        int mask = slot.sending() ? (1 << slot.forwarding) | (1 << slot.target) : 0;
        layerDemand.demand(track.trackId(), mask);
        if (!track.node().equals(media.nodeId()) && slot.sending()) {
            media.remoteTracks().demand(room, track, owner, mask);
        }
    }

    static int layerFor(String quality, int layers) {
        return switch (quality) {
            case "low" -> 0;
            case "medium" -> layers / 2;
            default -> layers - 1;
        };
    }

    /**
     * A track of another node arrived through a pipe: forward it if it is still wanted.
     *
     * @return as {@link #update}
     */
    public List<TrackId> onRemoteTrackReady(TrackId trackId) {
        if (awaitingRemote.remove(trackId)) {
            return update(lastWanted);
        }
        return List.of();
    }

    private void releaseRemoteNotIn(Set<TrackId> wantedIds) {
        heldRemote.removeIf(trackId -> {
            if (wantedIds.contains(trackId)) {
                return false;
            }
            awaitingRemote.remove(trackId);
            media.remoteTracks().release(room, trackId, owner);
            return true;
        });
    }

    /** The next offer to send, if something changed and no offer is waiting for its answer. */
    public Optional<String> nextOffer() {
        if (!changed || offerOutstanding || slots.isEmpty()) {
            return Optional.empty();
        }
        List<OutgoingTrack> tracks = new ArrayList<>(slots.size());
        for (Slot slot : slots) {
            slot.offered = true;
            slot.offeredRejected = slot.stage == Stage.REJECTING || slot.stage == Stage.RECYCLABLE;
            CodecSpec c = slot.track.codec();
            tracks.add(new OutgoingTrack(slot.mid, slot.track.kind(),
                    new RtpCodec(slot.payloadType, c.name(), c.clockRate(), c.channels(), c.fmtp(), c.rtcpFeedback()),
                    slot.downTrack.ssrc() & 0xFFFFFFFFL, "sfu-" + slot.track.participantId(),
                    slot.track.participantId().value(), slot.track.trackId().value(), lineState(slot),
                    slot.rtxPayloadType, slot.rtxSsrc & 0xFFFFFFFFL));
        }
        changed = false;
        offerOutstanding = true;
        outstandingOffer = SubscribeOfferBuilder.offer(transport.localParameters(), sessionId, ++sessionVersion, tracks);
        return Optional.of(outstandingOffer);
    }

    private static OutgoingTrack.MLineState lineState(Slot slot) {
        return switch (slot.stage) {
            case SENDING -> OutgoingTrack.MLineState.SENDING;
            case INACTIVE -> OutgoingTrack.MLineState.INACTIVE;
            case REJECTING, RECYCLABLE -> OutgoingTrack.MLineState.REJECTED;
        };
    }

    private static RtpCodec codecOf(TrackInfo track) {
        CodecSpec c = track.codec();
        return new RtpCodec(c.payloadType(), c.name(), c.clockRate(), c.channels(), c.fmtp(), c.rtcpFeedback());
    }

    /**
     * ICE restart of this connection (the client asked with `restart-ice`): the next offer carries
     * new ICE credentials of the node's (JSEP 5.2.1); DTLS, SRTP and the tracks stay. It is sent
     * once no offer waits for its answer.
     *
     * @return false if nothing was ever offered on this connection, so there is nothing to restart
     */
    public boolean restartIce() {
        if (slots.isEmpty()) {
            return false;
        }
        transport.restartIce();
        changed = true;
        return true;
    }

    public boolean awaitingAnswer() {
        return offerOutstanding;
    }

    /** The offer that waits for its answer, if one does (it may have been lost with a socket). */
    public Optional<String> outstandingOffer() {
        return offerOutstanding ? Optional.of(outstandingOffer) : Optional.empty();
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
            offerOutstanding = false;
            throw new NegotiationException("subscribe answer: " + e.getMessage());
        }
        offerOutstanding = false;
        for (Slot slot : slots) {
            if (slot.stage == Stage.REJECTING && slot.offeredRejected) {
                slot.stage = Stage.RECYCLABLE;
            }
        }
        List<TrackId> refused = dropRefusedCodecs(answer);
        refuseRtxWhereDeclined(answer);
        transport.useTransportCc(answer.transportCc() ? HeaderExtensionUris.SUBSCRIBE_TRANSPORT_CC_ID : -1);
        markNegotiated(answer);
        // Every answer: one after an ICE restart carries the client's new credentials.
        transport.setRemoteParameters(TransportParams.fromSdp(answer.remote()));
        answer.remote().candidates().forEach(transport::addRemoteCandidate);
        return refused;
    }

    /**
     * A client that cannot decode a track's codec rejects its m-line or answers without the
     * codec's payload type (RFC 3264 6; JSEP 5.3.1): the track is not sent to it (black video
     * otherwise), and its m-line goes inactive in the next offer.
     */
    private List<TrackId> dropRefusedCodecs(SubscribeAnswer answer) {
        List<TrackId> refused = new ArrayList<>();
        for (Slot slot : slots) {
            // A track added while the offer was out (a pipe brought it meanwhile) is not in the
            // answer: it goes in the next offer, and is not refused.
            if (!slot.sending() || !slot.offered) {
                continue;
            }
            List<String> formats = answer.formatsByMid().get(slot.mid);
            boolean accepted = answer.acceptedMids().contains(slot.mid) && formats != null
                    && formats.contains(Integer.toString(slot.payloadType));
            if (!accepted) {
                deactivate(slot);
                changed = true;
                refusedCodec.add(slot.track.trackId());
                refused.add(slot.track.trackId());
            }
        }
        return refused;
    }

    /** A receiver that left RTX out of its answer is not sent retransmissions. */
    private void refuseRtxWhereDeclined(SubscribeAnswer answer) {
        for (Slot slot : slots) {
            List<String> formats = answer.formatsByMid().get(slot.mid);
            if (slot.rtxPayloadType >= 0 && formats != null
                    && !formats.contains(Integer.toString(slot.rtxPayloadType))) {
                DownTrack downTrack = slot.downTrack;
                transport.execute(() -> downTrack.setRtx(0, -1));
            }
        }
    }

    /** The client now knows the SSRCs of the m-lines it accepted: they may be sent to. */
    private void markNegotiated(SubscribeAnswer answer) {
        List<DownTrack> known = new ArrayList<>();
        for (Slot slot : slots) {
            if (slot.sending() && slot.offered && answer.acceptedMids().contains(slot.mid)) {
                known.add(slot.downTrack);
            }
        }
        transport.execute(() -> known.forEach(downTrack -> downTrack.setNegotiated(true)));
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
        List<DownTrack> downTracks = new ArrayList<>();
        for (Slot slot : slots) {
            if (slot.sending()) {
                downTracks.add(slot.downTrack);
            }
        }
        transport.execute(() -> downTracks.forEach(DownTrack::awaitKeyframe));
    }

    /** How many m-lines the next offer holds (the connection's whole history is not kept). */
    public int mLineCount() {
        return slots.size();
    }

    public List<TrackId> receiving() {
        return slots.stream().filter(s -> s.sending()).map(s -> s.track.trackId()).toList();
    }

    public void close() {
        releaseRemoteNotIn(Set.of());
        for (Slot slot : slots) {
            if (slot.sending()) {
                deactivate(slot);
            }
        }
        transport.close("participant left");
    }

    /** Stops forwarding on {@code slot}; its m-line is rejected in the next offer (inactive if it is the first). */
    private void deactivate(Slot slot) {
        slot.stage = slots.indexOf(slot) == 0 ? Stage.INACTIVE : Stage.REJECTING;
        slot.offeredRejected = false;
        reportDemand(slot);
        DownTrack downTrack = slot.downTrack;
        transport.execute(() -> {
            downTrack.layers().forEach(layer -> layer.removeDownTrack(downTrack));
            transport.removeOutbound(downTrack);
        });
    }

    /** A candidate the client trickled for this connection. */
    public void addRemoteCandidate(String candidate) {
        transport.addRemoteCandidate(candidate);
    }
}
