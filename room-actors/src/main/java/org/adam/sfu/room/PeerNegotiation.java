package org.adam.sfu.room;

import java.util.List;

import org.adam.sfu.room.media.NegotiationException;
import org.adam.sfu.room.media.PublishConnection;
import org.adam.sfu.room.media.SubscribeConnection;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A participant's two peer connections with the node and what its client asks of them: publish
 * (the client offers), subscribe (the node offers, kept in step with the room's subscription
 * decisions), trickled candidates, ICE restarts, receive preferences and mutes; in a mesh call the
 * node carries no media and relays the clients' signals instead. Touched only by the
 * participant's actor thread (transport callbacks reach it as actor messages).
 */
final class PeerNegotiation {

    private static final String PUBLISH = Participant.PUBLISH;
    private static final String SUBSCRIBE = Participant.SUBSCRIBE;

    private final Participant.Setup setup;
    private final ParticipantId id;
    private final ActorRef<Participant.Command> self;
    private final ClientSession session;
    private final ParticipantLog log;
    private PublishConnection publish;
    private SubscribeConnection subscribe;
    /** The call runs as mesh: the node relays signals and carries no media for it. */
    private boolean mesh;
    /** The neighbourhood's cap on what one publisher sends (0: the node's own maximum). */
    private int maxBitrateKbps;
    /** The neighbourhood's wanted publish video codecs, most wanted first (empty: the node's order). */
    private List<String> videoCodecs = List.of();
    /** A peer connection with the node was established (ICE and DTLS) at least once. */
    private boolean negotiated;

    PeerNegotiation(Participant.Setup setup, ActorRef<Participant.Command> self, ClientSession session,
                    ParticipantLog log) {
        this.setup = setup;
        this.id = setup.info().participantId();
        this.self = self;
        this.session = session;
        this.log = log;
    }

    /** The room took the participant: how the call is carried decides what is negotiated. */
    void admitted(Room.Accepted accepted) {
        mesh = "mesh".equals(accepted.topology());
        maxBitrateKbps = accepted.maxBitrateKbps();
        videoCodecs = accepted.videoCodecs();
        if (!mesh) {
            subscribe = new SubscribeConnection(id, setup.roomKey(), self, setup.media(),
                    new TransportEvents(SUBSCRIBE, self),
                    (trackId, layers) -> setup.room().tell(new Room.LayerDemand(id, trackId, layers)));
        }
    }

    boolean mesh() {
        return mesh;
    }

    boolean negotiated() {
        return negotiated;
    }

    List<TrackInfo> published() {
        return publish == null ? List.of() : publish.tracks();
    }

    List<TrackId> receiving() {
        return subscribe == null ? List.of() : subscribe.receiving();
    }

    void clientOffer(Participant.ClientOffer offer) {
        if (mesh) {
            session.send(new ClientEvent.Error(offer.requestId(), "bad-request",
                    "this call is mesh: connect to the others with mesh-signal"));
            return;
        }
        if (!PUBLISH.equals(offer.pc())) {
            session.send(new ClientEvent.Error(offer.requestId(), "bad-request",
                    "only the publish connection takes client offers"));
            return;
        }
        if (publish == null) {
            publish = new PublishConnection(id, setup.roomKey(), setup.info().node(), setup.media(),
                    new TransportEvents(PUBLISH, self), videoCodecs);
            if (maxBitrateKbps > 0) {
                publish.capBitrate(maxBitrateKbps * 1000L);
                session.send(ClientEventTranslator.bitrateCap(maxBitrateKbps));
                log.info("publishing capped at {} kbit/s by the neighbourhood's policy", maxBitrateKbps);
            }
        }
        try {
            PublishConnection.Result result = publish.handleOffer(offer.sdp(), offer.sources());
            session.send(new ClientEvent.Answer(offer.requestId(), PUBLISH, result.answerSdp()));
            if (!result.removed().isEmpty()) {
                setup.room().tell(new Room.Unpublish(id, result.removed()));
            }
            if (!result.added().isEmpty()) {
                setup.room().tell(new Room.Publish(id, result.added()));
            }
        } catch (NegotiationException e) {
            log.info("publish offer refused: {}", e.getMessage());
            session.send(new ClientEvent.Error(offer.requestId(), "bad-request", e.getMessage()));
        }
    }

    void clientAnswer(Participant.ClientAnswer answer) {
        if (!SUBSCRIBE.equals(answer.pc()) || subscribe == null || !subscribe.awaitingAnswer()) {
            session.send(new ClientEvent.Error(answer.requestId(), "bad-request",
                    "no subscribe offer is waiting for an answer"));
            return;
        }
        try {
            for (TrackId refused : subscribe.handleAnswer(answer.sdp())) {
                log.info("cannot receive track {}: its codec was refused", refused);
                session.send(ClientEventTranslator.trackUnavailable(refused));
            }
        } catch (NegotiationException e) {
            log.info("subscribe answer refused: {}", e.getMessage());
            session.send(new ClientEvent.Error(answer.requestId(), "bad-request", e.getMessage()));
        }
        sendSubscribeOfferIfDue();
    }

    /** The room changed what this participant receives. */
    void subscriptionsChanged(List<TrackInfo> tracks) {
        if (subscribe != null) {
            reportUnavailable(subscribe.update(tracks));
            sendSubscribeOfferIfDue();
        }
    }

    /** A track of another node is now forwarded on this node. */
    void remoteTrackReady(TrackId trackId) {
        if (subscribe != null) {
            reportUnavailable(subscribe.onRemoteTrackReady(trackId));
            sendSubscribeOfferIfDue();
        }
    }

    /** Tracks the subscribe connection cannot offer (its bundle numbers no more codec configurations). */
    private void reportUnavailable(List<TrackId> unavailable) {
        for (TrackId trackId : unavailable) {
            log.info("cannot offer track {}: the subscribe connection has no payload type left for its codec", trackId);
            session.send(ClientEventTranslator.trackUnavailable(trackId));
        }
    }

    void candidate(Participant.ClientCandidate candidate) {
        if (PUBLISH.equals(candidate.pc()) && publish != null) {
            publish.addRemoteCandidate(candidate.candidate());
        } else if (SUBSCRIBE.equals(candidate.pc()) && subscribe != null) {
            subscribe.addRemoteCandidate(candidate.candidate());
        }
    }

    /**
     * `restart-ice`: the node restarts the subscribe connection's ICE with a new offer. The
     * publish connection is the client's to offer, so there the client is told to make an offer
     * with new credentials (docs/protocol.md).
     */
    void restartIce(Participant.ClientRestartIce request) {
        if (mesh) {
            session.send(new ClientEvent.Error(request.requestId(), "bad-request",
                    "this call is mesh: the node has no peer connection to restart"));
        } else if (PUBLISH.equals(request.pc())) {
            session.send(new ClientEvent.Error(request.requestId(), "bad-request", "the publish connection is the "
                    + "client's to offer: restart its ICE with an offer carrying new ICE credentials (restartIce())"));
        } else if (subscribe == null || !subscribe.restartIce()) {
            session.send(new ClientEvent.Error(request.requestId(), "bad-request",
                    "no subscribe connection has been offered yet: there is nothing to restart"));
        } else {
            log.info("subscribe connection: ICE restart asked by the client");
            sendSubscribeOfferIfDue();
        }
    }

    /** Connection {@code pc} is established (ICE and DTLS). */
    void connected(String pc) {
        log.info("{} connection established", pc);
        negotiated = true;
        if (SUBSCRIBE.equals(pc) && subscribe != null) {
            subscribe.onConnected();
        }
    }

    /**
     * The bound on negotiation passed. Neither peer connection came up in time: the client joined
     * and never offered, or never answered, or its ICE never reached the node. It is removed so it
     * holds no room place, node capacity or transport; it may join again.
     *
     * @return whether the participant must go (the client was told)
     */
    boolean deadlinePassed() {
        if (negotiated || mesh) {
            return false;
        }
        log.info("no peer connection established within {} of joining; removing the participant",
                setup.settings().negotiationTimeout());
        session.send(new ClientEvent.Error(null, "negotiation-timeout", "no peer connection with the node was "
                + "established within " + setup.settings().negotiationTimeout().toSeconds() + " s of joining;"
                + " the participant was removed, join again"));
        return true;
    }

    /** A peer connection closed: why the participant leaves. */
    LeaveReason closed(Participant.TransportClosed closed) {
        if (closed.byClient()) {
            // A client that leaves closes its peer connections as it sends `leave`, and the
            // close_notify on the media path often overtakes the `leave` on the socket.
            log.info("the client closed its {} connection: taken as its leave", closed.pc());
            return LeaveReason.LEAVE;
        }
        log.info("{} connection lost: {}", closed.pc(), closed.reason());
        return LeaveReason.TIMEOUT;
    }

    /**
     * A connection lost ICE consent: its transport waits the restart grace before it closes (and
     * the participant leaves). Meanwhile the participant, its tracks and subscriptions stay; the
     * client is asked to restart ICE.
     */
    void consentLost(String pc) {
        long grace = setup.media().server(setup.roomKey()).iceRestartGrace().toSeconds();
        log.info("{} connection lost ICE consent; asking the client to restart ICE within {} s", pc, grace);
        session.send(ClientEventTranslator.iceRestart(pc, grace));
    }

    void setQuality(Participant.ClientSetQuality request) {
        if (subscribe != null) {
            subscribe.setQuality(request.quality(), request.trackId());
        }
    }

    void layerTargetChanged(Participant.LayerTargetChanged changed) {
        if (subscribe != null) {
            subscribe.onTargetChanged(changed.trackId(), changed.layer());
        }
    }

    void layerChanged(Participant.LayerChanged changed) {
        if (subscribe != null) {
            subscribe.onLayerChanged(changed.trackId(), changed.layer());
            session.send(ClientEventTranslator.layerChanged(changed.trackId(),
                    subscribe.layerName(changed.trackId(), changed.layer())));
        }
    }

    /** Dynacast: tell the client which simulcast encodings to keep sending (`publish-layers`). */
    void layersWanted(Room.LayersWanted wanted) {
        if (publish == null) {
            return;
        }
        publish.tracks().stream().filter(t -> t.trackId().equals(wanted.trackId())).findFirst()
                .ifPresent(track -> session.send(ClientEventTranslator.publishLayers(track, wanted.active())));
    }

    void mute(Participant.ClientMute mute) {
        if (publish == null || !publish.owns(mute.trackId())) {
            session.send(new ClientEvent.Error(mute.requestId(), "bad-request",
                    "track " + mute.trackId() + " is not one of yours"));
            return;
        }
        setup.room().tell(new Room.SetMuted(id, mute.trackId(), mute.muted()));
    }

    void meshSignal(Participant.ClientMeshSignal signal) {
        if (!mesh) {
            session.send(new ClientEvent.Error(signal.requestId(), "bad-request",
                    "mesh-signal needs mesh topology; this call is sfu"));
            return;
        }
        setup.room().tell(new Room.MeshSignal(id, new ParticipantId(signal.to()), signal.payload()));
    }

    /** After a resume: the old socket may have died with the offer in it; without an answer no other comes. */
    void resendOutstandingOffer() {
        if (subscribe != null) {
            subscribe.outstandingOffer().ifPresent(sdp -> session.send(new ClientEvent.Offer(SUBSCRIBE, sdp)));
        }
    }

    void close() {
        if (publish != null) {
            publish.close();
        }
        if (subscribe != null) {
            subscribe.close();
        }
    }

    private void sendSubscribeOfferIfDue() {
        subscribe.nextOffer().ifPresent(sdp -> session.send(new ClientEvent.Offer(SUBSCRIBE, sdp)));
    }
}
