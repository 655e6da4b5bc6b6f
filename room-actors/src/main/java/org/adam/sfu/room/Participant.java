package org.adam.sfu.room;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.adam.sfu.room.media.MediaServices;
import org.adam.sfu.room.media.NegotiationException;
import org.adam.sfu.room.media.PublishConnection;
import org.adam.sfu.room.media.SubscribeConnection;
import org.adam.sfu.webrtc.speaker.SpeakerDetection;
import org.adam.sfu.webrtc.transport.TransportListener;
import org.adam.sfu.webrtc.transport.WebRtcTransport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.MDC;

/**
 * One participant of one call, living on the node that holds its transports. It negotiates the
 * two peer connections (publish: the client offers; subscribe: the node offers), keeps the data
 * plane in step with the room's subscription decisions, and speaks to the client through a
 * {@link ClientLink}. Media itself never passes through here.
 */
public final class Participant extends AbstractBehavior<Participant.Command> {

    public static final String PUBLISH = "publish";
    public static final String SUBSCRIBE = "subscribe";

    public sealed interface Command {
    }

    public record ClientOffer(String pc, String sdp, Map<String, String> sources, String requestId)
            implements Command {
    }

    public record ClientAnswer(String pc, String sdp, String requestId) implements Command {
    }

    public record ClientSubscribe(List<TrackId> trackIds, boolean subscribe) implements Command {
    }

    public record ClientMute(TrackId trackId, boolean muted, String requestId) implements Command {
    }

    public record ClientLeave(LeaveReason reason) implements Command {
    }

    /** The client's `restart-ice` for one of its peer connections. */
    public record ClientRestartIce(String pc, String requestId) implements Command {
    }

    /** The client's socket closed: start the reconnect grace period. */
    /** A candidate the client trickled for connection {@code pc} (the node's relay lets its address in). */
    public record ClientCandidate(String pc, String candidate) implements Command {
    }

    public enum LinkLost implements Command { INSTANCE }

    /**
     * The client came back on a new socket within the grace period.
     *
     * @param lastSeq the last room-state event ({@code seq}) the client got, or null if it does not say
     */
    public record Resume(ClientLink link, String requestId, Long lastSeq) implements Command {
    }

    /** The client's receive preference (`set-quality`), for all tracks or one. */
    public record ClientSetQuality(String quality, TrackId trackId) implements Command {
    }

    /** The data plane now forwards layer {@code layer} of {@code trackId} to this participant. */
    public record LayerChanged(TrackId trackId, int layer) implements Command {
    }

    /** A client's `mesh-signal` for another participant; {@code payload} is JSON text. */
    public record ClientMeshSignal(String to, String payload, String requestId) implements Command {
    }

    /** The room's dominant speaker changed (as this node hears the room). */
    public record ActiveSpeaker(String participantId, int level) implements Command {
    }

    /** The data plane will move {@code trackId} to layer {@code layer} at its next keyframe (preference or bandwidth). */
    public record LayerTargetChanged(TrackId trackId, int layer) implements Command {
    }

    /** A track of another node is now forwarded on this node (a pipe brought it). */
    public record RemoteTrackReady(TrackId trackId) implements Command, CborSerializable {
    }

    /** Test and admin view of this participant. */
    public record GetStatus(ActorRef<Status> replyTo) implements Command {
    }

    public record Status(ParticipantId participantId, boolean joined, List<TrackInfo> published,
                         List<TrackId> receiving) {
    }

    private record FromRoom(Room.Event event) implements Command {
    }

    private record JoinAnswered(Room.JoinReply reply) implements Command {
    }

    /** A peer connection closed; {@code byClient}: the client closed it (DTLS close_notify). */
    private record TransportClosed(String pc, String reason, boolean byClient) implements Command {
    }

    private record TransportConnected(String pc) implements Command {
    }

    /** A peer connection's ICE consent expired: the client should restart ICE within the grace. */
    private record ConsentLost(String pc) implements Command {
    }

    private record ConsentRestored(String pc) implements Command {
    }

    private enum GraceExpired implements Command { INSTANCE }

    /** The bound on negotiation ({@link ParticipantSettings#negotiationTimeout()}) passed. */
    private enum NegotiationDeadline implements Command { INSTANCE }

    private enum Heartbeat implements Command { INSTANCE }

    /** The node is draining: the client should re-join through {@code signalUrl}. */
    public record Reconnect(String signalUrl, String reason) implements Command {
    }

    /**
     * Everything a participant needs to be created; built by {@link SfuNode}.
     *
     * @param resumeToken given to the client in `joined`, for a `resume` to present
     */
    public record Setup(ParticipantInfo info, RoomKey roomKey, RecipientRef<Room.Command> room,
                        boolean autoSubscribe, String joinRequestId, ClientLink link, String mode,
                        MediaServices media, ParticipantSettings settings, ResumeToken resumeToken) {
    }

    private final Setup setup;
    private final TimerScheduler<Command> timers;
    private final ParticipantId id;
    private ClientLink link;
    private boolean joined;
    private boolean leaving;
    /** A peer connection with the node was established (ICE and DTLS) at least once. */
    private boolean negotiated;
    private PublishConnection publish;
    private SubscribeConnection subscribe;
    /** How the room took this participant (topology, mode, ICE servers), repeated on a resume. */
    private Room.Accepted joinedAs;
    /** The call runs as mesh: the node relays signals and carries no media for it. */
    private boolean mesh;
    /** The neighbourhood's cap on what one publisher sends (0: the node's own maximum). */
    private int maxBitrateKbps;
    /** The neighbourhood's wanted publish video codecs, most wanted first (empty: the node's order). */
    private List<String> videoCodecs = List.of();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /** Hears the room's dominant speaker changes on this node (set once joined). */
    private Consumer<SpeakerDetection.Change> speakerListener;
    /** What this participant's client has been told, so a rebuilt room's roster can be reconciled. */
    private final java.util.Set<ParticipantId> knownParticipants = new java.util.HashSet<>();
    private final java.util.Map<TrackId, ParticipantId> knownTracks = new java.util.HashMap<>();
    /** Room-state events sent to the client, numbered, the recent ones kept for a resume. */
    private final RoomEventLog eventLog = new RoomEventLog();
    private final java.util.Set<TrackId> explicitSubscriptions = new java.util.HashSet<>();
    private ActorRef<Room.Event> roomEvents;

    public static Behavior<Command> create(Setup setup) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> new Participant(context, timers, setup)));
    }

    private Participant(ActorContext<Command> context, TimerScheduler<Command> timers, Setup setup) {
        super(context);
        this.setup = setup;
        this.timers = timers;
        this.id = setup.info().participantId();
        this.link = setup.link();
        ActorRef<Room.Event> events = context.messageAdapter(Room.Event.class, FromRoom::new);
        this.roomEvents = events;
        ActorRef<Room.JoinReply> replies = context.messageAdapter(Room.JoinReply.class, JoinAnswered::new);
        setup.room().tell(new Room.Join(setup.info(), setup.autoSubscribe(), events, replies));
        timers.startSingleTimer(NegotiationDeadline.INSTANCE, setup.settings().negotiationTimeout());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(JoinAnswered.class, this::onJoinAnswered)
                .onMessage(FromRoom.class, this::onRoomEvent)
                .onMessage(ClientOffer.class, this::onClientOffer)
                .onMessage(ClientAnswer.class, this::onClientAnswer)
                .onMessage(ClientSubscribe.class, this::onClientSubscribe)
                .onMessage(ClientMute.class, this::onClientMute)
                .onMessage(ClientLeave.class, leave -> leave(leave.reason()))
                .onMessageEquals(LinkLost.INSTANCE, this::onLinkLost)
                .onMessage(Resume.class, this::onResume)
                .onMessageEquals(GraceExpired.INSTANCE, () -> leave(LeaveReason.DISCONNECTED))
                .onMessageEquals(NegotiationDeadline.INSTANCE, this::onNegotiationDeadline)
                .onMessage(TransportConnected.class, this::onTransportConnected)
                .onMessage(TransportClosed.class, this::onTransportClosed)
                .onMessage(ClientRestartIce.class, this::onClientRestartIce)
                .onMessage(ClientCandidate.class, this::onClientCandidate)
                .onMessage(ConsentLost.class, this::onConsentLost)
                .onMessage(ConsentRestored.class, restored -> {
                    log("{} connection: ICE consent regained", restored.pc());
                    return this;
                })
                .onMessage(GetStatus.class, this::onGetStatus)
                .onMessage(RemoteTrackReady.class, this::onRemoteTrackReady)
                .onMessage(ClientSetQuality.class, this::onSetQuality)
                .onMessage(LayerChanged.class, this::onLayerChanged)
                .onMessage(LayerTargetChanged.class, this::onLayerTargetChanged)
                .onMessage(ActiveSpeaker.class, this::onActiveSpeaker)
                .onMessage(ClientMeshSignal.class, this::onClientMeshSignal)
                .onMessageEquals(Heartbeat.INSTANCE, this::onHeartbeat)
                .onMessage(Reconnect.class, this::onReconnect)
                .onSignal(PostStop.class, signal -> onPostStop())
                .build();
    }

    private Behavior<Command> onJoinAnswered(JoinAnswered answered) {
        if (answered.reply() instanceof Room.Refused refused) {
            link.send(new ClientEvent.Error(setup.joinRequestId(), refused.refusal().code(), refused.message()));
            link.participantEnded(id);
            return Behaviors.stopped();
        }
        Room.Accepted accepted = (Room.Accepted) answered.reply();
        joined = true;
        accepted.others().forEach(p -> knownParticipants.add(p.participantId()));
        accepted.tracks().forEach(t -> knownTracks.put(t.trackId(), t.participantId()));
        timers.startTimerWithFixedDelay(Heartbeat.INSTANCE, setup.settings().presenceInterval());
        mesh = "mesh".equals(accepted.topology());
        if (mesh) {
            // The node carries no media in mesh: there is nothing to negotiate with it.
            timers.cancel(NegotiationDeadline.INSTANCE);
        }
        maxBitrateKbps = accepted.maxBitrateKbps();
        videoCodecs = accepted.videoCodecs();
        if (!mesh) {
            subscribe = new SubscribeConnection(id, setup.roomKey(), getContext().getSelf(), setup.media(),
                    listenerFor(SUBSCRIBE),
                    (trackId, layers) -> setup.room().tell(new Room.LayerDemand(id, trackId, layers)));
        }
        joinedAs = accepted;
        link.send(new ClientEvent.Joined(setup.joinRequestId(), id, accepted.topology(), accepted.mode(),
                setup.info().node(), accepted.others(), accepted.tracks(),
                setup.settings().iceServers().forParticipant(id, accepted.iceServers()), setup.resumeToken().value()));
        ActorRef<Command> self = getContext().getSelf();
        speakerListener = change -> self.tell(new ActiveSpeaker(change.participantId(), change.level()));
        setup.media().server(setup.roomKey()).speakers().listen(setup.roomKey().toString(), speakerListener);
        log("joined room {} as {} ({})", setup.roomKey(), setup.info().name(), setup.info().did());
        return this;
    }

    private Behavior<Command> onRoomEvent(FromRoom fromRoom) {
        Room.Event event = fromRoom.event();
        if (event instanceof Room.SubscriptionsChanged changed) {
            if (subscribe != null) {
                reportUnavailable(subscribe.update(changed.tracks()));
                sendSubscribeOfferIfDue();
            }
        } else if (event instanceof Room.MeshSignalled signal) {
            link.send(new ClientEvent.Custom("mesh-signal", Map.of("from", signal.from().value(),
                    "payload", readJson(signal.payload()))));
        } else if (event instanceof Room.Closed closed) {
            link.send(new ClientEvent.ParticipantLeft(id, LeaveReason.KICKED));
            getContext().getSelf().tell(new ClientLeave(LeaveReason.KICKED));
        } else if (event instanceof Room.TopologyChanged changed) {
            sendRoomEvent(new ClientEvent.Custom("topology", Map.of("topology", changed.topology(),
                    "reason", changed.reason())));
        } else if (event instanceof Room.Warning warning) {
            link.send(new ClientEvent.Custom("warning", Map.of("code", warning.code(), "message", warning.message())));
        } else if (event instanceof Room.ParticipantJoined e) {
            knownParticipants.add(e.participant().participantId());
            sendRoomEvent(new ClientEvent.ParticipantJoined(e.participant()));
        } else if (event instanceof Room.ParticipantLeft e) {
            knownParticipants.remove(e.participantId());
            sendRoomEvent(new ClientEvent.ParticipantLeft(e.participantId(), e.reason()));
        } else if (event instanceof Room.TrackPublished e) {
            knownTracks.put(e.track().trackId(), e.track().participantId());
            sendRoomEvent(new ClientEvent.TrackPublished(e.track()));
        } else if (event instanceof Room.TrackUnpublished e) {
            knownTracks.remove(e.trackId());
            explicitSubscriptions.remove(e.trackId());
            sendRoomEvent(new ClientEvent.TrackUnpublished(e.trackId()));
        } else if (event instanceof Room.Roster roster) {
            reconcile(roster);
        } else if (event instanceof Room.LayersWanted wanted) {
            onLayersWanted(wanted);
        } else if (event instanceof Room.TrackMuted e) {
            sendRoomEvent(new ClientEvent.TrackMuted(e.trackId(), e.muted()));
        }
        return this;
    }

    /** A room-state event: numbered and kept, so a resuming client gets it even if its old socket lost it. */
    private void sendRoomEvent(ClientEvent event) {
        link.send(eventLog.append(event));
    }

    private Behavior<Command> onClientMeshSignal(ClientMeshSignal signal) {
        if (!mesh) {
            link.send(new ClientEvent.Error(signal.requestId(), "bad-request",
                    "mesh-signal needs mesh topology; this call is sfu"));
            return this;
        }
        setup.room().tell(new Room.MeshSignal(id, new ParticipantId(signal.to()), signal.payload()));
        return this;
    }

    private static Object readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            return text; // the node wrote it from parsed JSON, so this does not happen
        }
    }

    private Behavior<Command> onClientOffer(ClientOffer offer) {
        if (mesh) {
            link.send(new ClientEvent.Error(offer.requestId(), "bad-request",
                    "this call is mesh: connect to the others with mesh-signal"));
            return this;
        }
        if (!PUBLISH.equals(offer.pc())) {
            link.send(new ClientEvent.Error(offer.requestId(), "bad-request",
                    "only the publish connection takes client offers"));
            return this;
        }
        if (publish == null) {
            publish = new PublishConnection(id, setup.roomKey(), setup.info().node(), setup.media(), listenerFor(PUBLISH),
                    videoCodecs);
            if (maxBitrateKbps > 0) {
                publish.capBitrate(maxBitrateKbps * 1000L);
                link.send(new ClientEvent.Custom("bitrate-cap", Map.of("maxBitrateKbps", maxBitrateKbps)));
                log("publishing capped at {} kbit/s by the neighbourhood's policy", maxBitrateKbps);
            }
        }
        try {
            PublishConnection.Result result = publish.handleOffer(offer.sdp(), offer.sources());
            link.send(new ClientEvent.Answer(offer.requestId(), PUBLISH, result.answerSdp()));
            if (!result.removed().isEmpty()) {
                setup.room().tell(new Room.Unpublish(id, result.removed()));
            }
            if (!result.added().isEmpty()) {
                setup.room().tell(new Room.Publish(id, result.added()));
            }
        } catch (NegotiationException e) {
            log("publish offer refused: {}", e.getMessage());
            link.send(new ClientEvent.Error(offer.requestId(), "bad-request", e.getMessage()));
        }
        return this;
    }

    /** Tracks the subscribe connection cannot offer (its bundle numbers no more codec configurations). */
    private void reportUnavailable(List<TrackId> unavailable) {
        for (TrackId trackId : unavailable) {
            log("cannot offer track {}: the subscribe connection has no payload type left for its codec", trackId);
            link.send(new ClientEvent.Custom("track-unavailable", Map.of("trackId", trackId.value(), "reason", "codec")));
        }
    }

    private Behavior<Command> onClientAnswer(ClientAnswer answer) {
        if (!SUBSCRIBE.equals(answer.pc()) || subscribe == null || !subscribe.awaitingAnswer()) {
            link.send(new ClientEvent.Error(answer.requestId(), "bad-request",
                    "no subscribe offer is waiting for an answer"));
            return this;
        }
        try {
            for (TrackId refused : subscribe.handleAnswer(answer.sdp())) {
                log("cannot receive track {}: its codec was refused", refused);
                link.send(new ClientEvent.Custom("track-unavailable",
                        Map.of("trackId", refused.value(), "reason", "codec")));
            }
        } catch (NegotiationException e) {
            log("subscribe answer refused: {}", e.getMessage());
            link.send(new ClientEvent.Error(answer.requestId(), "bad-request", e.getMessage()));
        }
        sendSubscribeOfferIfDue();
        return this;
    }

    /** A rebuilt room lost whoever was on a failed node: tell the client they are gone. */
    private void reconcile(Room.Roster roster) {
        java.util.Set<TrackId> present = new java.util.HashSet<>();
        roster.tracks().forEach(t -> present.add(t.trackId()));
        java.util.Set<ParticipantId> here = new java.util.HashSet<>();
        roster.participants().forEach(p -> here.add(p.participantId()));
        here.add(id);
        knownTracks.entrySet().removeIf(entry -> {
            if (present.contains(entry.getKey()) || entry.getValue().equals(id)) {
                return false;
            }
            sendRoomEvent(new ClientEvent.TrackUnpublished(entry.getKey()));
            explicitSubscriptions.remove(entry.getKey());
            return true;
        });
        knownParticipants.removeIf(participant -> {
            if (here.contains(participant)) {
                return false;
            }
            sendRoomEvent(new ClientEvent.ParticipantLeft(participant, LeaveReason.NODE_FAILED));
            return true;
        });
    }

    /** Dynacast: tell the client which simulcast encodings to keep sending (`publish-layers`). */
    private void onLayersWanted(Room.LayersWanted wanted) {
        if (publish == null) {
            return;
        }
        publish.tracks().stream().filter(t -> t.trackId().equals(wanted.trackId())).findFirst().ifPresent(track -> {
            java.util.Map<String, Object> layers = new java.util.LinkedHashMap<>();
            for (int i = 0; i < track.layers().size() && i < wanted.active().size(); i++) {
                layers.put(track.layers().get(i), wanted.active().get(i));
            }
            link.send(new ClientEvent.Custom("publish-layers", java.util.Map.of("trackId", track.trackId().value(),
                    "layers", layers)));
        });
    }

    private Behavior<Command> onHeartbeat() {
        List<TrackInfo> published = publish == null ? List.of() : publish.tracks();
        setup.room().tell(new Room.Present(setup.info(), setup.autoSubscribe(), List.copyOf(explicitSubscriptions),
                published, roomEvents));
        return this;
    }

    private Behavior<Command> onReconnect(Reconnect reconnect) {
        link.send(new ClientEvent.Custom("reconnect", java.util.Map.of("redirect", reconnect.signalUrl(),
                "reason", reconnect.reason())));
        return this;
    }

    /**
     * Only ids of tracks this participant was told of are kept (and reported to the room every
     * second): others are dropped, so a client cannot grow what the node keeps and sends around.
     */
    private Behavior<Command> onClientSubscribe(ClientSubscribe request) {
        List<TrackId> known = request.trackIds().stream().filter(knownTracks::containsKey).distinct().toList();
        if (known.isEmpty()) {
            return this;
        }
        if (request.subscribe()) {
            explicitSubscriptions.addAll(known);
        } else {
            explicitSubscriptions.removeAll(known);
        }
        setup.room().tell(request.subscribe()
                ? new Room.Subscribe(id, known)
                : new Room.Unsubscribe(id, known));
        return this;
    }

    private Behavior<Command> onClientMute(ClientMute mute) {
        if (publish == null || !publish.owns(mute.trackId())) {
            link.send(new ClientEvent.Error(mute.requestId(), "bad-request",
                    "track " + mute.trackId() + " is not one of yours"));
            return this;
        }
        setup.room().tell(new Room.SetMuted(id, mute.trackId(), mute.muted()));
        return this;
    }

    private Behavior<Command> onLinkLost() {
        link = ClientLink.DETACHED;
        if (!leaving) {
            log("socket closed; waiting {} for a resume", setup.settings().reconnectGrace());
            timers.startSingleTimer(GraceExpired.INSTANCE, setup.settings().reconnectGrace());
        }
        return this;
    }

    private Behavior<Command> onResume(Resume resume) {
        timers.cancel(GraceExpired.INSTANCE);
        ClientLink previous = link;
        link = resume.link();
        if (previous != ClientLink.DETACHED) {
            // Detached first: the old socket's closing must not take the new one's place (LinkLost).
            previous.participantEnded(id);
            previous.close();
        }
        List<TrackInfo> published = publish == null ? List.of() : publish.tracks();
        link.send(new ClientEvent.Joined(resume.requestId(), id, joinedAs == null ? "sfu" : joinedAs.topology(),
                joinedAs == null ? setup.mode() : joinedAs.mode(), setup.info().node(), List.of(), published,
                setup.settings().iceServers().forParticipant(id, joinedAs == null ? List.of() : joinedAs.iceServers()),
                setup.resumeToken().value()));
        replayMissed(resume.lastSeq());
        log("resumed on a new socket");
        if (subscribe != null) {
            // The old socket may have died with the offer in it: without an answer no other comes.
            subscribe.outstandingOffer().ifPresent(sdp -> link.send(new ClientEvent.Offer(SUBSCRIBE, sdp)));
        }
        return this;
    }

    /** After a resume's `joined`: the room-state events the client says it did not get. */
    private void replayMissed(Long lastSeq) {
        if (lastSeq == null) {
            return;
        }
        List<ClientEvent.Sequenced> missed = eventLog.after(lastSeq);
        if (missed == null) {
            log("resume after event {}, but events up to {} are no longer kept: nothing replayed", lastSeq,
                    eventLog.lastSeq());
            return;
        }
        missed.forEach(link::send);
        if (!missed.isEmpty()) {
            log("resumed: replayed {} room event(s) the client missed", missed.size());
        }
    }

    private Behavior<Command> onTransportConnected(TransportConnected connected) {
        log("{} connection established", connected.pc());
        negotiated = true;
        timers.cancel(NegotiationDeadline.INSTANCE);
        if (SUBSCRIBE.equals(connected.pc()) && subscribe != null) {
            subscribe.onConnected();
        }
        return this;
    }

    /**
     * Neither peer connection came up in time: the client joined and never offered, or never
     * answered, or its ICE never reached the node. It is removed so it holds no room place,
     * node capacity or transport; it may join again.
     */
    private Behavior<Command> onNegotiationDeadline() {
        if (leaving || negotiated || mesh) {
            return this;
        }
        log("no peer connection established within {} of joining; removing the participant",
                setup.settings().negotiationTimeout());
        link.send(new ClientEvent.Error(null, "negotiation-timeout", "no peer connection with the node was "
                + "established within " + setup.settings().negotiationTimeout().toSeconds() + " s of joining;"
                + " the participant was removed, join again"));
        return leave(LeaveReason.TIMEOUT);
    }

    private Behavior<Command> onTransportClosed(TransportClosed closed) {
        if (leaving) {
            return this;
        }
        if (closed.byClient()) {
            // A client that leaves closes its peer connections as it sends `leave`, and the
            // close_notify on the media path often overtakes the `leave` on the socket.
            log("the client closed its {} connection: taken as its leave", closed.pc());
            return leave(LeaveReason.LEAVE);
        }
        log("{} connection lost: {}", closed.pc(), closed.reason());
        return leave(LeaveReason.TIMEOUT);
    }

    /**
     * `restart-ice`: the node restarts the subscribe connection's ICE with a new offer. The
     * publish connection is the client's to offer, so there the client is told to make an offer
     * with new credentials (docs/protocol.md).
     */
    private Behavior<Command> onClientCandidate(ClientCandidate candidate) {
        if (PUBLISH.equals(candidate.pc()) && publish != null) {
            publish.addRemoteCandidate(candidate.candidate());
        } else if (SUBSCRIBE.equals(candidate.pc()) && subscribe != null) {
            subscribe.addRemoteCandidate(candidate.candidate());
        }
        return this;
    }

    private Behavior<Command> onClientRestartIce(ClientRestartIce request) {
        if (mesh) {
            link.send(new ClientEvent.Error(request.requestId(), "bad-request",
                    "this call is mesh: the node has no peer connection to restart"));
        } else if (PUBLISH.equals(request.pc())) {
            link.send(new ClientEvent.Error(request.requestId(), "bad-request", "the publish connection is the "
                    + "client's to offer: restart its ICE with an offer carrying new ICE credentials (restartIce())"));
        } else if (subscribe == null || !subscribe.restartIce()) {
            link.send(new ClientEvent.Error(request.requestId(), "bad-request",
                    "no subscribe connection has been offered yet: there is nothing to restart"));
        } else {
            log("subscribe connection: ICE restart asked by the client");
            sendSubscribeOfferIfDue();
        }
        return this;
    }

    /**
     * A connection lost ICE consent: its transport waits the restart grace before it closes (and
     * this participant leaves). Meanwhile the participant, its tracks and subscriptions stay;
     * the client is asked to restart ICE.
     */
    private Behavior<Command> onConsentLost(ConsentLost lost) {
        if (leaving) {
            return this;
        }
        long grace = setup.media().server(setup.roomKey()).iceRestartGrace().toSeconds();
        log("{} connection lost ICE consent; asking the client to restart ICE within {} s", lost.pc(), grace);
        link.send(new ClientEvent.Custom("ice-restart", Map.of("pc", lost.pc(), "reason", "consent-lost",
                "graceSeconds", grace)));
        return this;
    }

    private Behavior<Command> onSetQuality(ClientSetQuality request) {
        if (subscribe != null) {
            subscribe.setQuality(request.quality(), request.trackId());
        }
        return this;
    }

    private Behavior<Command> onLayerTargetChanged(LayerTargetChanged changed) {
        if (subscribe != null) {
            subscribe.onTargetChanged(changed.trackId(), changed.layer());
        }
        return this;
    }

    private Behavior<Command> onLayerChanged(LayerChanged changed) {
        if (subscribe != null) {
            subscribe.onLayerChanged(changed.trackId(), changed.layer());
            link.send(new ClientEvent.Custom("layer-changed", java.util.Map.of("trackId", changed.trackId().value(),
                    "layer", subscribe.layerName(changed.trackId(), changed.layer()))));
        }
        return this;
    }

    private Behavior<Command> onRemoteTrackReady(RemoteTrackReady ready) {
        if (subscribe != null) {
            reportUnavailable(subscribe.onRemoteTrackReady(ready.trackId()));
            sendSubscribeOfferIfDue();
        }
        return this;
    }

    private Behavior<Command> onGetStatus(GetStatus get) {
        get.replyTo().tell(new Status(id, joined,
                publish == null ? List.of() : publish.tracks(),
                subscribe == null ? List.of() : subscribe.receiving()));
        return this;
    }

    private Behavior<Command> leave(LeaveReason reason) {
        leaving = true;
        if (joined) {
            setup.room().tell(new Room.Leave(id, reason));
        }
        log("left: {}", reason.wireName());
        link.participantEnded(id);
        return Behaviors.stopped();
    }

    private Behavior<Command> onActiveSpeaker(ActiveSpeaker speaker) {
        link.send(new ClientEvent.Custom("active-speaker",
                Map.of("participantId", speaker.participantId(), "level", speaker.level())));
        return this;
    }

    private Behavior<Command> onPostStop() {
        if (speakerListener != null) {
            setup.media().server(setup.roomKey()).speakers().unlisten(setup.roomKey().toString(), speakerListener);
        }
        if (publish != null) {
            publish.close();
        }
        if (subscribe != null) {
            subscribe.close();
        }
        return this;
    }

    private void sendSubscribeOfferIfDue() {
        Optional<String> offer = subscribe.nextOffer();
        offer.ifPresent(sdp -> link.send(new ClientEvent.Offer(SUBSCRIBE, sdp)));
    }

    /** Data-plane callbacks arrive on network threads; they only ever post a message to this actor. */
    private TransportListener listenerFor(String pc) {
        ActorRef<Command> self = getContext().getSelf();
        return new TransportListener() {
            @Override
            public void onConnected() {
                self.tell(new TransportConnected(pc));
            }

            @Override
            public void onClosed(String reason) {
                self.tell(new TransportClosed(pc, reason, false));
            }

            @Override
            public void onClosedByPeer() {
                self.tell(new TransportClosed(pc, WebRtcTransport.CLOSED_BY_PEER, true));
            }

            @Override
            public void onConsentLost() {
                self.tell(new ConsentLost(pc));
            }

            @Override
            public void onConsentRestored() {
                self.tell(new ConsentRestored(pc));
            }
        };
    }

    private void log(String format, Object... args) {
        MDC.put("room", setup.roomKey().toString());
        MDC.put("participant", id.value());
        try {
            getContext().getLog().info(format, args);
        } finally {
            MDC.remove("room");
            MDC.remove("participant");
        }
    }
}
