package org.adam.sfu.room;

import java.util.List;
import java.util.function.Predicate;

import org.adam.sfu.room.Room.Command;
import org.adam.sfu.room.Room.Event;
import org.adam.sfu.room.policy.SfuConfig;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The actor of one {@link Room}: it owns the room's roster, track catalogue, layer demand,
 * watchers and call topology, turns each message into calls on them, and does what only an actor
 * can (watch members, run the idle and rebuild timers, passivate). All of its state is touched
 * only on this actor.
 */
final class RoomActor extends AbstractBehavior<Command> {

    private final RoomKey key;
    private final String hostNode;
    private final Predicate<Address> nodeIsUp;
    private final RoomSettings settings;
    private final Room.Passivation passivation;
    private final TimerScheduler<Command> timers;
    private final RoomRoster roster = new RoomRoster();
    private final TrackCatalogue tracks = new TrackCatalogue();
    /** Which simulcast layers are received, per track; pruned with tracks and members. */
    private final SimulcastLayerDemand layerDemand = new SimulcastLayerDemand();
    private final RoomWatchers watchers = new RoomWatchers();
    private final CallTopology topology;
    private final RoomLog log;

    RoomActor(ActorContext<Command> context, TimerScheduler<Command> timers, RoomKey key, String hostNode,
              Predicate<Address> nodeIsUp, RoomSettings settings, Room.Passivation passivation) {
        super(context);
        // Operators (and tests) read the room's lines under the protocol's name.
        context.setLoggerName(Room.class);
        this.log = new RoomLog(key, context::getLog);
        this.key = key;
        this.hostNode = hostNode;
        this.nodeIsUp = nodeIsUp;
        this.settings = settings;
        this.passivation = passivation;
        this.timers = timers;
        this.topology = new CallTopology(() -> settings.topologyFor(key.neighbourhood()));
        armIdleTimer();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Room.Join.class, this::onJoin)
                .onMessage(Room.Leave.class, leave -> removeMember(leave.participantId(), leave.reason()))
                .onMessage(Room.Publish.class, this::onPublish)
                .onMessage(Room.Unpublish.class, this::onUnpublish)
                .onMessage(Room.SetMuted.class, this::onSetMuted)
                .onMessage(Room.Subscribe.class, this::onSubscribe)
                .onMessage(Room.Unsubscribe.class, this::onUnsubscribe)
                .onMessage(Room.MemberTerminated.class, this::onMemberTerminated)
                .onMessage(Room.GetState.class, this::onGetState)
                .onMessage(Room.Present.class, this::onPresent)
                .onMessage(Room.LayerDemand.class, this::onLayerDemand)
                .onMessage(Room.MeshSignal.class, signal -> {
                    roster.relay(signal);
                    return this;
                })
                .onMessage(Room.Watch.class, this::onWatch)
                .onMessage(Room.Unwatch.class, unwatch -> forgetWatcher(unwatch.watcher()))
                .onMessage(Room.WatcherGone.class, gone -> forgetWatcher(gone.watcher()))
                .onMessage(Room.Close.class, this::onClose)
                .onMessage(Room.Reconsider.class, this::onReconsider)
                .onMessageEquals(Room.Settle.INSTANCE, this::onSettle)
                .onMessageEquals(Room.IdleTimeout.INSTANCE, this::onIdleTimeout)
                .onMessageEquals(Room.Stop.INSTANCE, Behaviors::stopped)
                .build();
    }

    private Behavior<Command> onJoin(Room.Join join) {
        ParticipantId id = join.participant().participantId();
        if (roster.contains(id)) {
            // A retried join (e.g. after a resume): refresh the address, keep the state.
            roster.remove(id);
        } else if (roster.size() >= settings.limitFor(key.neighbourhood())) {
            join.replyTo().tell(new Room.Refused(JoinRefusal.ROOM_FULL,
                    "room " + key.room() + " is full (" + settings.limitFor(key.neighbourhood()) + " participants)"));
            return this;
        }
        topology.onJoin(roster.isEmpty())
                .ifPresent(decided -> log.info("call starts as {} ({})", decided.topology(), decided.reason()));
        List<ParticipantInfo> others = roster.infos();
        roster.add(new RoomMember(join.participant(), join.member(), join.autoSubscribe()));
        getContext().watchWith(join.member(), new Room.MemberTerminated(id));
        timers.cancel(Room.IdleTimeout.INSTANCE);
        SfuConfig policy = settings.policy().apply(key.neighbourhood());
        join.replyTo().tell(new Room.Accepted(others, tracks.all(), topology.current().topology(), policy.mode(),
                policy.maxBitrateKbps(), policy.iceServers(), policy.videoCodecs()));
        broadcastExcept(id, new Room.ParticipantJoined(join.participant()));
        log.info("participant {} ({}) joined from node {}", id, join.participant().name(), join.participant().node());
        topology.meshWarning(policy, roster.size()).ifPresent(this::broadcast);
        pushSubscriptions();
        return this;
    }

    private Behavior<Command> onMemberTerminated(Room.MemberTerminated terminated) {
        RoomMember member = roster.get(terminated.participantId());
        boolean nodeFailed = member != null && !nodeIsUp.test(member.ref.path().address());
        return removeMember(terminated.participantId(), nodeFailed ? LeaveReason.NODE_FAILED : LeaveReason.DISCONNECTED);
    }

    private Behavior<Command> removeMember(ParticipantId id, LeaveReason reason) {
        RoomMember member = roster.remove(id);
        if (member == null) {
            return this;
        }
        getContext().unwatch(member.ref);
        layerDemand.removeSubscriber(id, tracks::get).forEach(this::tellLayersWanted);
        List<TrackId> gone = tracks.publishedBy(id);
        gone.forEach(this::forgetTrack);
        gone.forEach(trackId -> broadcast(new Room.TrackUnpublished(trackId)));
        broadcast(new Room.ParticipantLeft(id, reason));
        log.info("participant {} left: {}", id, reason.wireName());
        pushSubscriptions();
        if (roster.isEmpty()) {
            armIdleTimer();
        }
        return this;
    }

    private Behavior<Command> onPublish(Room.Publish publish) {
        if (!roster.contains(publish.participantId())) {
            return this;
        }
        for (TrackInfo track : publish.tracks()) {
            if (!track.participantId().equals(publish.participantId())) {
                continue;
            }
            tracks.put(track);
            broadcast(new Room.TrackPublished(track));
            log.info("participant {} published {} track {} ({})", track.participantId(), track.kind(),
                    track.trackId(), track.codec().name());
        }
        pushSubscriptions();
        return this;
    }

    private Behavior<Command> onUnpublish(Room.Unpublish unpublish) {
        boolean changed = false;
        for (TrackId trackId : unpublish.trackIds()) {
            if (tracks.isOwnedBy(trackId, unpublish.participantId())) {
                forgetTrack(trackId);
                broadcast(new Room.TrackUnpublished(trackId));
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
        roster.forgetSubscriptionsTo(trackId);
    }

    private Behavior<Command> onSetMuted(Room.SetMuted mute) {
        if (tracks.setMuted(mute.participantId(), mute.trackId(), mute.muted())) {
            broadcast(new Room.TrackMuted(mute.trackId(), mute.muted()));
        }
        return this;
    }

    private Behavior<Command> onSubscribe(Room.Subscribe subscribe) {
        RoomMember member = roster.get(subscribe.participantId());
        if (member != null) {
            // Only tracks of this call: an id of none is dropped, so what a member keeps (and
            // its participant reports every second) is bounded by the call's tracks.
            subscribe.trackIds().stream().filter(tracks::contains).forEach(member.explicit::add);
            pushSubscriptions();
        }
        return this;
    }

    private Behavior<Command> onUnsubscribe(Room.Unsubscribe unsubscribe) {
        RoomMember member = roster.get(unsubscribe.participantId());
        if (member != null) {
            member.explicit.removeAll(unsubscribe.trackIds());
            pushSubscriptions();
        }
        return this;
    }

    private Behavior<Command> onGetState(Room.GetState get) {
        get.replyTo().tell(new Room.State(key, hostNode, roster.infos(), tracks.all(), roster.subscriptionsSent()));
        return this;
    }

    private Behavior<Command> onPresent(Room.Present present) {
        if (roster.contains(present.participant().participantId())) {
            return this;
        }
        // A member we do not know is alive: this room was re-created after its node failed.
        RoomMember member = RoomRebuild.admit(present, roster, tracks);
        getContext().watchWith(member.ref, new Room.MemberTerminated(member.id()));
        timers.cancel(Room.IdleTimeout.INSTANCE);
        if (!timers.isTimerActive(Room.Settle.INSTANCE)) {
            log.info("rebuilding room state from its participants' reports");
            timers.startSingleTimer(Room.Settle.INSTANCE, settings.rebuildSettleTime());
        }
        return this;
    }

    /** Every surviving participant has reported: tell members who is left and what they receive. */
    private Behavior<Command> onSettle() {
        log.info("room rebuilt on node {} with {} participants and {} tracks", hostNode, roster.size(), tracks.size());
        broadcast(RoomRebuild.settle(roster, tracks));
        pushSubscriptions();
        return this;
    }

    private Behavior<Command> onWatch(Room.Watch watch) {
        if (watchers.add(watch.watcher())) {
            getContext().watchWith(watch.watcher(), new Room.WatcherGone(watch.watcher()));
        }
        return this;
    }

    private Behavior<Command> forgetWatcher(ActorRef<Event> watcher) {
        watchers.remove(watcher);
        return this;
    }

    private Behavior<Command> onReconsider(Room.Reconsider reconsider) {
        String before = topology.current() == null ? null : topology.current().topology();
        topology.reconsider(roster.isEmpty()).ifPresent(now -> {
            log.info("call moves from {} to {} ({})", before, now.topology(), now.reason());
            broadcast(new Room.TopologyChanged(now.topology(), now.reason()));
        });
        return this;
    }

    private Behavior<Command> onClose(Room.Close close) {
        log.info("call closed: {}", close.reason());
        broadcast(new Room.Closed(close.reason()));
        return this;
    }

    private Behavior<Command> onLayerDemand(Room.LayerDemand demand) {
        TrackInfo track = tracks.get(demand.trackId());
        if (track == null || track.layers().isEmpty() || !roster.contains(demand.subscriber())) {
            return this;
        }
        layerDemand.update(track, demand.subscriber(), demand.layers())
                .ifPresent(active -> tellLayersWanted(track, active));
        return this;
    }

    /** Tells a simulcast publisher which layers are received (only when that changed). */
    private void tellLayersWanted(TrackInfo track, List<Boolean> active) {
        roster.tellPublisher(track, new Room.LayersWanted(track.trackId(), active));
    }

    private Behavior<Command> onIdleTimeout() {
        if (roster.isEmpty()) {
            log.info("room idle, passivating");
            passivation.passivate(getContext());
        }
        return this;
    }

    private void pushSubscriptions() {
        roster.replanSubscriptions(tracks.view());
    }

    private void broadcast(Event event) {
        roster.tellAll(event);
        watchers.tell(event);
    }

    private void broadcastExcept(ParticipantId except, Event event) {
        roster.tellAllExcept(except, event);
        watchers.tell(event);
    }

    private void armIdleTimer() {
        timers.startSingleTimer(Room.IdleTimeout.INSTANCE, settings.idleTimeout());
    }
}
