package org.adam.sfu.room;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.adam.sfu.room.media.MediaServices;
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
 * One participant of one call, living on the node that holds its transports: the actor that owns
 * its parts, hands each message to the one it is for, and decides when the participant ends.
 * {@link PeerNegotiation} negotiates the two peer connections and keeps the data plane in step with
 * the room's subscription decisions; {@link RoomMembership} is its place in the room and what the
 * client hears of it; {@link ClientSession} speaks to the client through a {@link ClientLink}
 * across sockets (resume, grace). Media itself never passes through here. All of its state and its
 * parts' is touched only on this actor's thread.
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

    /** A candidate the client trickled for connection {@code pc} (the node's relay lets its address in). */
    public record ClientCandidate(String pc, String candidate) implements Command {
    }

    /** The client's socket closed: start the reconnect grace period. */
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
    record TransportClosed(String pc, String reason, boolean byClient) implements Command {
    }

    record TransportConnected(String pc) implements Command {
    }

    /** A peer connection's ICE consent expired: the client should restart ICE within the grace. */
    record ConsentLost(String pc) implements Command {
    }

    record ConsentRestored(String pc) implements Command {
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
    private final ClientSession session;
    private final PeerNegotiation peers;
    private final RoomMembership membership;
    private boolean leaving;

    public static Behavior<Command> create(Setup setup) {
        return create(setup, Clock.systemUTC());
    }

    /** @param clock what the reconnect grace is measured by */
    static Behavior<Command> create(Setup setup, Clock clock) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> new Participant(context, timers, setup, clock)));
    }

    private Participant(ActorContext<Command> context, TimerScheduler<Command> timers, Setup setup, Clock clock) {
        super(context);
        this.setup = setup;
        this.timers = timers;
        this.id = setup.info().participantId();
        this.session = new ClientSession(id, setup.link(), setup.settings().reconnectGrace(), clock, this::log);
        this.peers = new PeerNegotiation(setup, context.getSelf(), session, this::log);
        this.membership = new RoomMembership(setup, context.getSelf(),
                context.messageAdapter(Room.Event.class, FromRoom::new), session, peers);
        membership.join(context.messageAdapter(Room.JoinReply.class, JoinAnswered::new));
        timers.startSingleTimer(NegotiationDeadline.INSTANCE, setup.settings().negotiationTimeout());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(JoinAnswered.class, this::onJoinAnswered)
                .onMessage(FromRoom.class, fromRoom -> same(() -> membership.onEvent(fromRoom.event())))
                .onMessage(ClientOffer.class, offer -> same(() -> peers.clientOffer(offer)))
                .onMessage(ClientAnswer.class, answer -> same(() -> peers.clientAnswer(answer)))
                .onMessage(ClientSubscribe.class, request -> same(() -> membership.clientSubscribe(request)))
                .onMessage(ClientMute.class, mute -> same(() -> peers.mute(mute)))
                .onMessage(ClientLeave.class, leave -> leave(leave.reason()))
                .onMessageEquals(LinkLost.INSTANCE, this::onLinkLost)
                .onMessage(Resume.class, this::onResume)
                .onMessageEquals(GraceExpired.INSTANCE, this::onGraceExpired)
                .onMessageEquals(NegotiationDeadline.INSTANCE,
                        () -> !leaving && peers.deadlinePassed() ? leave(LeaveReason.TIMEOUT) : this)
                .onMessage(TransportConnected.class, connected -> same(() -> {
                    timers.cancel(NegotiationDeadline.INSTANCE);
                    peers.connected(connected.pc());
                }))
                .onMessage(TransportClosed.class, closed -> leaving ? this : leave(peers.closed(closed)))
                .onMessage(ClientRestartIce.class, request -> same(() -> peers.restartIce(request)))
                .onMessage(ClientCandidate.class, candidate -> same(() -> peers.candidate(candidate)))
                .onMessage(ConsentLost.class, lost -> leaving ? this : same(() -> peers.consentLost(lost.pc())))
                .onMessage(ConsentRestored.class, restored -> same(
                        () -> log("{} connection: ICE consent regained", restored.pc())))
                .onMessage(GetStatus.class, get -> same(() -> get.replyTo().tell(
                        new Status(id, membership.joined(), peers.published(), peers.receiving()))))
                .onMessage(RemoteTrackReady.class, ready -> same(() -> peers.remoteTrackReady(ready.trackId())))
                .onMessage(ClientSetQuality.class, quality -> same(() -> peers.setQuality(quality)))
                .onMessage(LayerChanged.class, changed -> same(() -> peers.layerChanged(changed)))
                .onMessage(LayerTargetChanged.class, changed -> same(() -> peers.layerTargetChanged(changed)))
                .onMessage(ActiveSpeaker.class, speaker -> same(() -> session.send(
                        ClientEventTranslator.activeSpeaker(speaker.participantId(), speaker.level()))))
                .onMessage(ClientMeshSignal.class, signal -> same(() -> peers.meshSignal(signal)))
                .onMessageEquals(Heartbeat.INSTANCE, () -> same(membership::reportPresence))
                .onMessage(Reconnect.class, reconnect -> same(() -> session.send(
                        ClientEventTranslator.reconnect(reconnect.signalUrl(), reconnect.reason()))))
                .onSignal(PostStop.class, signal -> onPostStop())
                .build();
    }

    /** Runs {@code handling} and stays as it is. */
    private Behavior<Command> same(Runnable handling) {
        handling.run();
        return this;
    }

    private Behavior<Command> onJoinAnswered(JoinAnswered answered) {
        if (answered.reply() instanceof Room.Refused refused) {
            session.send(new ClientEvent.Error(setup.joinRequestId(), refused.refusal().code(), refused.message()));
            session.link().participantEnded(id);
            return Behaviors.stopped();
        }
        Room.Accepted accepted = (Room.Accepted) answered.reply();
        membership.accepted(accepted);
        timers.startTimerWithFixedDelay(Heartbeat.INSTANCE, setup.settings().presenceInterval());
        peers.admitted(accepted);
        if (peers.mesh()) {
            // The node carries no media in mesh: there is nothing to negotiate with it.
            timers.cancel(NegotiationDeadline.INSTANCE);
        }
        session.send(ClientEventTranslator.joined(setup, accepted));
        membership.listenToSpeakers();
        log("joined room {} as {} ({})", setup.roomKey(), setup.info().name(), setup.info().did());
        return this;
    }

    private Behavior<Command> onLinkLost() {
        session.linkLost();
        if (!leaving) {
            log("socket closed; waiting {} for a resume", setup.settings().reconnectGrace());
            timers.startSingleTimer(GraceExpired.INSTANCE, setup.settings().reconnectGrace());
        }
        return this;
    }

    /** The grace timer fired: the participant leaves unless its clock says some grace is left. */
    private Behavior<Command> onGraceExpired() {
        Duration left = session.graceLeft();
        if (left != null && !left.isZero()) {
            timers.startSingleTimer(GraceExpired.INSTANCE, left);
            return this;
        }
        return leave(LeaveReason.DISCONNECTED);
    }

    private Behavior<Command> onResume(Resume resume) {
        timers.cancel(GraceExpired.INSTANCE);
        session.resume(resume.link(), membership.resumed(resume.requestId()), resume.lastSeq());
        log("resumed on a new socket");
        peers.resendOutstandingOffer();
        return this;
    }

    private Behavior<Command> leave(LeaveReason reason) {
        leaving = true;
        membership.leave(reason);
        log("left: {}", reason.wireName());
        session.link().participantEnded(id);
        return Behaviors.stopped();
    }

    private Behavior<Command> onPostStop() {
        membership.stopListeningToSpeakers();
        peers.close();
        return this;
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
