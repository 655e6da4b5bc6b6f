package org.adam.sfu.room;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.adam.sfu.room.policy.SfuConfig;
import org.adam.sfu.room.policy.TopologyDecision;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.MDC;

/**
 * One call: the single writer of who is in it, which tracks are published, and who receives
 * what. It holds no media and no sockets, only addresses of {@link Participant} actors, so the
 * same behaviour runs as a local child or as a Cluster Sharding entity on any node.
 */
public final class Room extends AbstractBehavior<Room.Command> {

    public sealed interface Command extends CborSerializable {
    }

    /** A participant asks to enter; {@code member} receives every {@link Event} from then on. */
    public record Join(ParticipantInfo participant, boolean autoSubscribe, ActorRef<Event> member,
                       ActorRef<JoinReply> replyTo) implements Command {
    }

    public record Leave(ParticipantId participantId, LeaveReason reason) implements Command {
    }

    /** Tracks that became live on the publisher's node (their publish answer was sent). */
    public record Publish(ParticipantId participantId, List<TrackInfo> tracks) implements Command {
    }

    public record Unpublish(ParticipantId participantId, List<TrackId> trackIds) implements Command {
    }

    public record SetMuted(ParticipantId participantId, TrackId trackId, boolean muted) implements Command {
    }

    public record Subscribe(ParticipantId participantId, List<TrackId> trackIds) implements Command {
    }

    public record Unsubscribe(ParticipantId participantId, List<TrackId> trackIds) implements Command {
    }

    /** A snapshot for operators and tests. */
    public record GetState(ActorRef<State> replyTo) implements Command {
    }

    /** Sent by the shard (or the local parent) to stop a passivated room. */
    public enum Stop implements Command { INSTANCE }

    private record MemberTerminated(ParticipantId participantId) implements Command {
    }

    private record WatcherGone(ActorRef<Event> watcher) implements Command {
    }

    private enum IdleTimeout implements Command { INSTANCE }

    public sealed interface JoinReply extends CborSerializable {
    }

    /**
     * {@code topology}: sfu or mesh, the call's (decided when its first participant joined);
     * {@code mode}: the neighbourhood's configured mode.
     */
    public record Accepted(List<ParticipantInfo> others, List<TrackInfo> tracks, String topology, String mode,
                           int maxBitrateKbps, List<SfuConfig.IceServer> iceServers, List<String> videoCodecs)
            implements JoinReply {
    }

    /**
     * Someone outside the call (a GraphQL subscription) follows who joins and leaves and which
     * tracks come and go: it gets those events until it stops or sends {@link Unwatch}.
     */
    public record Watch(ActorRef<Event> watcher) implements Command {
    }

    public record Unwatch(ActorRef<Event> watcher) implements Command {
    }

    /**
     * The neighbourhood's policy changed: decide the call's topology again, and if it is now
     * another one, tell everyone (protocol `topology`; clients re-join to be carried the new way).
     */
    public record Reconsider() implements Command {
    }

    /** To members: the call's topology changed. */
    public record TopologyChanged(String topology, String reason) implements Event {
    }

    /** The operator ends the call (GraphQL `sfuStopRoom`): every participant is removed. */
    public record Close(String reason) implements Command {
    }

    /** To members: the call was ended for everyone. */
    public record Closed(String reason) implements Event {
    }

    /** Mesh topology: relay {@code payload} (JSON text) from one participant to another. */
    public record MeshSignal(ParticipantId from, ParticipantId to, String payload) implements Command {
    }

    /** To a member: a mesh signal from another participant. */
    public record MeshSignalled(ParticipantId from, String payload) implements Event {
    }

    /** To members: something about the call they should know but that does not stop it. */
    public record Warning(String code, String message) implements Event {
    }

    public record Refused(JoinRefusal refusal, String message) implements JoinReply {
    }

    /** What a room tells its members. */
    public sealed interface Event extends CborSerializable {
    }

    public record ParticipantJoined(ParticipantInfo participant) implements Event {
    }

    public record ParticipantLeft(ParticipantId participantId, LeaveReason reason) implements Event {
    }

    public record TrackPublished(TrackInfo track) implements Event {
    }

    public record TrackUnpublished(TrackId trackId) implements Event {
    }

    public record TrackMuted(TrackId trackId, boolean muted) implements Event {
    }

    /** The complete set of tracks this member should now receive. */
    public record SubscriptionsChanged(List<TrackInfo> tracks) implements Event {
    }

    /** @param hostNode the node this room's actor runs on */
    public record State(RoomKey key, String hostNode, List<ParticipantInfo> participants, List<TrackInfo> tracks,
                        Map<String, List<String>> subscriptions) implements CborSerializable {
    }

    /**
     * Sent by every participant each second. A room that does not know the sender (it was just
     * re-created on another node after its host failed) rebuilds its state from these reports.
     */
    public record Present(ParticipantInfo participant, boolean autoSubscribe, List<TrackId> explicitSubscriptions,
                          List<TrackInfo> published, ActorRef<Event> member) implements Command {
    }

    private enum Settle implements Command { INSTANCE }

    /**
     * Which layers of a simulcast track a subscriber needs, as a bit per layer (0: none any more):
     * the one it receives and, while it waits for a switch, the one it is moving to. The room
     * tells the publisher which layers anybody needs, so the others can be paused.
     */
    public record LayerDemand(ParticipantId subscriber, TrackId trackId, int layers) implements Command {
    }

    /** To a publisher: which of its simulcast layers anybody receives, lowest first. */
    public record LayersWanted(TrackId trackId, List<Boolean> active) implements Event {
    }

    /** After a rebuild: everyone the room knows now, so members drop those it lost. */
    public record Roster(List<ParticipantInfo> participants, List<TrackInfo> tracks) implements Event {
    }

    /** Passivation hook: how an idle room asks to be stopped (the shard's Passivate, or a local stop). */
    @FunctionalInterface
    public interface Passivation {
        void passivate(ActorContext<Command> context);
    }

    private static final class Member {
        final ParticipantInfo info;
        final ActorRef<Event> ref;
        final boolean autoSubscribe;
        final Set<TrackId> explicit = new HashSet<>();
        Set<TrackId> lastSent = Set.of();

        Member(ParticipantInfo info, ActorRef<Event> ref, boolean autoSubscribe) {
            this.info = info;
            this.ref = ref;
            this.autoSubscribe = autoSubscribe;
        }
    }

    private final RoomKey key;
    private final String hostNode;
    private final java.util.function.Predicate<org.apache.pekko.actor.Address> nodeIsUp;
    private final RoomSettings settings;
    private final Passivation passivation;
    private final TimerScheduler<Command> timers;
    private final Map<ParticipantId, Member> members = new LinkedHashMap<>();
    private final Map<TrackId, TrackInfo> tracks = new LinkedHashMap<>();
    /** Which simulcast layers are received, per track; pruned with tracks and members. */
    private final SimulcastLayerDemand layerDemand = new SimulcastLayerDemand();
    private final Set<ActorRef<Event>> watchers = new HashSet<>();
    /** The call's topology, decided at its first join; null between calls. */
    private TopologyDecision topology;

    /**
     * @param hostNode  this node's id, for operators
     * @param nodeIsUp  whether the node at an address is still a cluster member (a member whose
     *                  actor stopped with its node left with reason `node-failed`)
     */
    public static Behavior<Command> create(RoomKey key, String hostNode,
                                           java.util.function.Predicate<org.apache.pekko.actor.Address> nodeIsUp,
                                           RoomSettings settings, Passivation passivation) {
        return Behaviors.setup(context -> Behaviors.withTimers(
                timers -> new Room(context, timers, key, hostNode, nodeIsUp, settings, passivation)));
    }

    private Room(ActorContext<Command> context, TimerScheduler<Command> timers, RoomKey key, String hostNode,
                 java.util.function.Predicate<org.apache.pekko.actor.Address> nodeIsUp,
                 RoomSettings settings, Passivation passivation) {
        super(context);
        this.key = key;
        this.hostNode = hostNode;
        this.nodeIsUp = nodeIsUp;
        this.settings = settings;
        this.passivation = passivation;
        this.timers = timers;
        armIdleTimer();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Join.class, this::onJoin)
                .onMessage(Leave.class, this::onLeave)
                .onMessage(Publish.class, this::onPublish)
                .onMessage(Unpublish.class, this::onUnpublish)
                .onMessage(SetMuted.class, this::onSetMuted)
                .onMessage(Subscribe.class, this::onSubscribe)
                .onMessage(Unsubscribe.class, this::onUnsubscribe)
                .onMessage(MemberTerminated.class, this::onMemberTerminated)
                .onMessage(GetState.class, this::onGetState)
                .onMessage(Present.class, this::onPresent)
                .onMessage(LayerDemand.class, this::onLayerDemand)
                .onMessage(MeshSignal.class, this::onMeshSignal)
                .onMessage(Watch.class, this::onWatch)
                .onMessage(Unwatch.class, unwatch -> {
                    watchers.remove(unwatch.watcher());
                    return this;
                })
                .onMessage(WatcherGone.class, gone -> {
                    watchers.remove(gone.watcher());
                    return this;
                })
                .onMessage(Close.class, this::onClose)
                .onMessage(Reconsider.class, this::onReconsider)
                .onMessageEquals(Settle.INSTANCE, this::onSettle)
                .onMessageEquals(IdleTimeout.INSTANCE, this::onIdleTimeout)
                .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
                .build();
    }

    private Behavior<Command> onJoin(Join join) {
        ParticipantId id = join.participant().participantId();
        if (members.containsKey(id)) {
            // A retried join (e.g. after a resume): refresh the address, keep the state.
            members.remove(id);
        } else if (members.size() >= settings.limitFor(key.neighbourhood())) {
            join.replyTo().tell(new Refused(JoinRefusal.ROOM_FULL,
                    "room " + key.room() + " is full (" + settings.limitFor(key.neighbourhood()) + " participants)"));
            return this;
        }
        if (members.isEmpty() || topology == null) {
            // A new call: its topology holds until everyone has left (clients would have to re-join).
            topology = settings.topologyFor(key.neighbourhood());
            log("call starts as {} ({})", topology.topology(), topology.reason());
        }
        List<ParticipantInfo> others = members.values().stream().map(m -> m.info).toList();
        Member member = new Member(join.participant(), join.member(), join.autoSubscribe());
        members.put(id, member);
        getContext().watchWith(join.member(), new MemberTerminated(id));
        timers.cancel(IdleTimeout.INSTANCE);
        SfuConfig policy = settings.policy().apply(key.neighbourhood());
        join.replyTo().tell(new Accepted(others, List.copyOf(tracks.values()), topology.topology(), policy.mode(),
                policy.maxBitrateKbps(), policy.iceServers(), policy.videoCodecs()));
        broadcastExcept(id, new ParticipantJoined(join.participant()));
        log("participant {} ({}) joined from node {}", id, join.participant().name(), join.participant().node());
        if (topology.mesh() && TopologyDecision.meshTooLarge(policy, members.size())) {
            broadcast(new Warning("mesh-too-large", "no SFU is reachable and this call has " + members.size()
                    + " participants, more than mesh is meant for (" + policy.maxMeshParticipants()
                    + "); trying mesh anyway"));
        }
        pushSubscriptions();
        return this;
    }

    private Behavior<Command> onLeave(Leave leave) {
        removeMember(leave.participantId(), leave.reason());
        return this;
    }

    private Behavior<Command> onMemberTerminated(MemberTerminated terminated) {
        Member member = members.get(terminated.participantId());
        boolean nodeFailed = member != null && !nodeIsUp.test(member.ref.path().address());
        removeMember(terminated.participantId(), nodeFailed ? LeaveReason.NODE_FAILED : LeaveReason.DISCONNECTED);
        return this;
    }

    private void removeMember(ParticipantId id, LeaveReason reason) {
        Member member = members.remove(id);
        if (member == null) {
            return;
        }
        getContext().unwatch(member.ref);
        layerDemand.removeSubscriber(id, tracks::get).forEach(this::tellLayersWanted);
        List<TrackId> gone = tracks.values().stream()
                .filter(t -> t.participantId().equals(id)).map(TrackInfo::trackId).toList();
        gone.forEach(this::forgetTrack);
        for (TrackId trackId : gone) {
            broadcast(new TrackUnpublished(trackId));
        }
        broadcast(new ParticipantLeft(id, reason));
        log("participant {} left: {}", id, reason.wireName());
        pushSubscriptions();
        if (members.isEmpty()) {
            armIdleTimer();
        }
    }

    private Behavior<Command> onPublish(Publish publish) {
        if (!members.containsKey(publish.participantId())) {
            return this;
        }
        for (TrackInfo track : publish.tracks()) {
            if (!track.participantId().equals(publish.participantId())) {
                continue;
            }
            tracks.put(track.trackId(), track);
            broadcast(new TrackPublished(track));
            log("participant {} published {} track {} ({})", track.participantId(), track.kind(),
                    track.trackId(), track.codec().name());
        }
        pushSubscriptions();
        return this;
    }

    private Behavior<Command> onUnpublish(Unpublish unpublish) {
        boolean changed = false;
        for (TrackId trackId : unpublish.trackIds()) {
            TrackInfo track = tracks.get(trackId);
            if (track != null && track.participantId().equals(unpublish.participantId())) {
                forgetTrack(trackId);
                broadcast(new TrackUnpublished(trackId));
                changed = true;
            }
        }
        if (changed) {
            pushSubscriptions();
        }
        return this;
    }

    /** Drops a track and everything kept about it: its layer demand and members' explicit subscriptions. */
    private void forgetTrack(TrackId trackId) {
        tracks.remove(trackId);
        layerDemand.removeTrack(trackId);
        for (Member member : members.values()) {
            member.explicit.remove(trackId);
        }
    }

    private Behavior<Command> onSetMuted(SetMuted mute) {
        TrackInfo track = tracks.get(mute.trackId());
        if (track != null && track.participantId().equals(mute.participantId()) && track.muted() != mute.muted()) {
            tracks.put(track.trackId(), track.withMuted(mute.muted()));
            broadcast(new TrackMuted(track.trackId(), mute.muted()));
        }
        return this;
    }

    private Behavior<Command> onSubscribe(Subscribe subscribe) {
        Member member = members.get(subscribe.participantId());
        if (member != null) {
            // Only tracks of this call: an id of none is dropped, so what a member keeps (and
            // its participant reports every second) is bounded by the call's tracks.
            subscribe.trackIds().stream().filter(tracks::containsKey).forEach(member.explicit::add);
            pushSubscriptions();
        }
        return this;
    }

    private Behavior<Command> onUnsubscribe(Unsubscribe unsubscribe) {
        Member member = members.get(unsubscribe.participantId());
        if (member != null) {
            member.explicit.removeAll(unsubscribe.trackIds());
            pushSubscriptions();
        }
        return this;
    }

    private Behavior<Command> onGetState(GetState get) {
        Map<String, List<String>> subscriptions = new LinkedHashMap<>();
        members.forEach((id, m) -> subscriptions.put(id.value(), m.lastSent.stream().map(TrackId::value).sorted().toList()));
        get.replyTo().tell(new State(key, hostNode, members.values().stream().map(m -> m.info).toList(),
                List.copyOf(tracks.values()), subscriptions));
        return this;
    }

    private Behavior<Command> onPresent(Present present) {
        ParticipantId id = present.participant().participantId();
        if (members.containsKey(id)) {
            return this;
        }
        // A member we do not know is alive: this room was re-created after its node failed.
        Member member = new Member(present.participant(), present.member(), present.autoSubscribe());
        member.explicit.addAll(present.explicitSubscriptions());
        members.put(id, member);
        getContext().watchWith(present.member(), new MemberTerminated(id));
        present.published().forEach(t -> tracks.put(t.trackId(), t));
        timers.cancel(IdleTimeout.INSTANCE);
        if (!timers.isTimerActive(Settle.INSTANCE)) {
            log("rebuilding room state from its participants' reports");
            timers.startSingleTimer(Settle.INSTANCE, settings.rebuildSettleTime());
        }
        return this;
    }

    /** Every surviving participant has reported: tell members who is left and what they receive. */
    private Behavior<Command> onSettle() {
        log("room rebuilt on node {} with {} participants and {} tracks", hostNode, members.size(), tracks.size());
        members.values().forEach(m -> m.explicit.retainAll(tracks.keySet()));
        Roster roster = new Roster(members.values().stream().map(m -> m.info).toList(), List.copyOf(tracks.values()));
        broadcast(roster);
        pushSubscriptions();
        return this;
    }

    private Behavior<Command> onWatch(Watch watch) {
        if (watchers.add(watch.watcher())) {
            getContext().watchWith(watch.watcher(), new WatcherGone(watch.watcher()));
        }
        return this;
    }

    private Behavior<Command> onReconsider(Reconsider reconsider) {
        if (members.isEmpty() || topology == null) {
            return this;
        }
        TopologyDecision now = settings.topologyFor(key.neighbourhood());
        if (!now.topology().equals(topology.topology())) {
            log("call moves from {} to {} ({})", topology.topology(), now.topology(), now.reason());
            topology = now;
            broadcast(new TopologyChanged(now.topology(), now.reason()));
        }
        return this;
    }

    private Behavior<Command> onClose(Close close) {
        log("call closed: {}", close.reason());
        broadcast(new Closed(close.reason()));
        return this;
    }

    private Behavior<Command> onMeshSignal(MeshSignal signal) {
        Member target = members.get(signal.to());
        if (target != null && members.containsKey(signal.from())) {
            target.ref.tell(new MeshSignalled(signal.from(), signal.payload()));
        }
        return this;
    }

    private Behavior<Command> onLayerDemand(LayerDemand demand) {
        TrackInfo track = tracks.get(demand.trackId());
        if (track == null || track.layers().isEmpty() || !members.containsKey(demand.subscriber())) {
            return this;
        }
        layerDemand.update(track, demand.subscriber(), demand.layers())
                .ifPresent(active -> tellLayersWanted(track, active));
        return this;
    }

    /** Tells a simulcast publisher which layers are received (only when that changed). */
    private void tellLayersWanted(TrackInfo track, List<Boolean> active) {
        Member owner = members.get(track.participantId());
        if (owner != null) {
            owner.ref.tell(new LayersWanted(track.trackId(), active));
        }
    }

    private Behavior<Command> onIdleTimeout() {
        if (members.isEmpty()) {
            log("room idle, passivating");
            passivation.passivate(getContext());
        }
        return this;
    }

    /**
     * Recomputes every member's effective subscription set and tells those whose set changed.
     * Rooms are small (tens of members), so a full pass per change is cheaper than bookkeeping.
     */
    private void pushSubscriptions() {
        for (Member member : members.values()) {
            Set<TrackId> wanted = new HashSet<>();
            List<TrackInfo> wantedTracks = new ArrayList<>();
            for (TrackInfo track : tracks.values()) {
                if (track.participantId().equals(member.info.participantId())) {
                    continue;
                }
                if (member.autoSubscribe || member.explicit.contains(track.trackId())) {
                    wanted.add(track.trackId());
                    wantedTracks.add(track);
                }
            }
            if (!wanted.equals(member.lastSent)) {
                member.lastSent = Set.copyOf(wanted);
                member.ref.tell(new SubscriptionsChanged(List.copyOf(wantedTracks)));
            }
        }
    }

    private void broadcast(Event event) {
        for (Member member : members.values()) {
            member.ref.tell(event);
        }
        tellWatchers(event);
    }

    private void broadcastExcept(ParticipantId except, Event event) {
        for (Member member : members.values()) {
            if (!member.info.participantId().equals(except)) {
                member.ref.tell(event);
            }
        }
        tellWatchers(event);
    }

    /** Watchers follow the call's roster and catalogue, nothing addressed to members only. */
    private void tellWatchers(Event event) {
        if (event instanceof ParticipantJoined || event instanceof ParticipantLeft || event instanceof TrackPublished
                || event instanceof TrackUnpublished || event instanceof TrackMuted || event instanceof Closed) {
            for (ActorRef<Event> watcher : watchers) {
                watcher.tell(event);
            }
        }
    }

    private void armIdleTimer() {
        timers.startSingleTimer(IdleTimeout.INSTANCE, settings.idleTimeout());
    }

    private void log(String format, Object... args) {
        MDC.put("room", key.toString());
        try {
            getContext().getLog().info(format, args);
        } finally {
            MDC.remove("room");
        }
    }
}
