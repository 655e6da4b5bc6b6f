package org.adam.sfu.room;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.adam.sfu.room.media.MediaServices;
import org.adam.sfu.room.neighbourhood.SfuAnnounce;
import org.adam.sfu.room.policy.SfuPresence;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * One per node JVM: admits participants (spawning their {@link Participant} actors here, where
 * their transports live), announces the node's load to the other nodes (`sfu-announce`),
 * redirects joins when full, and drains the node on request. Its state is touched only on this
 * actor: the participants here ({@link LocalParticipants}), the other nodes ({@link NodePeers}),
 * what it announces ({@link NodeAnnouncement}); whether it takes a join is {@link NodeAdmission}'s.
 */
public final class SfuNode extends AbstractBehavior<SfuNode.Command> {

    public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "sfu-nodes");
    private static final Duration ANNOUNCE_INTERVAL = Duration.ofSeconds(2);
    private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(20);

    public sealed interface Command {
    }

    /** A validated join from a client connected to this node. */
    public record Join(JoinRequest request, ClientLink link, ActorRef<JoinOutcome> replyTo) implements Command {
    }

    public record JoinRequest(String requestId, String neighbourhood, String room, String did, String name,
                              boolean autoSubscribe) {
    }

    public sealed interface JoinOutcome {
    }

    /** The participant actor now handling the join (it answers the client itself). */
    public record Admitted(ParticipantId participantId, ActorRef<Participant.Command> participant)
            implements JoinOutcome {
    }

    /** This node takes no more participants; {@code signalUrl} is the least-loaded node that does. */
    public record Redirected(String signalUrl) implements JoinOutcome {
    }

    /** This node takes no more participants and knows no node that does (protocol `node-full`, no redirect). */
    public record Full(String message) implements JoinOutcome {
    }

    public record FindParticipant(ParticipantId participantId, ActorRef<Optional<Found>> replyTo)
            implements Command {
    }

    /**
     * A local participant, with the DID it joined with (a resume must prove the same DID) and the
     * token its `joined` carried (a resume under open auth must present it).
     */
    public record Found(ActorRef<Participant.Command> participant, String did, ResumeToken resumeToken) {
    }

    public record GetLoad(ActorRef<Load> replyTo) implements Command, CborSerializable {
    }

    public record Load(String nodeId, int participants, List<String> rooms, boolean draining)
            implements CborSerializable {
    }

    /** The latest `sfu-announce` of every node, this one included. */
    public record GetNodes(ActorRef<Nodes> replyTo) implements Command {
    }

    public record Nodes(List<SfuAnnounce> nodes) {
    }

    /** Stop admitting, send local participants elsewhere, then leave the cluster. */
    public record Drain(ActorRef<Load> replyTo) implements Command, CborSerializable {
    }

    /** Drain the node named {@code nodeId}: this one, or a peer it forwards the request to. */
    public record DrainNode(String nodeId, ActorRef<Load> replyTo) implements Command {
    }

    /** Another node's announce. */
    public record Announced(SfuAnnounce announce, ActorRef<Command> from) implements Command, CborSerializable {
    }

    private record ParticipantStopped(ParticipantId participantId) implements Command {
    }

    private record Listing(Receptionist.Listing listing) implements Command {
    }

    private enum AnnounceTick implements Command { INSTANCE }

    private enum DrainDeadline implements Command { INSTANCE }

    /**
     * What the node was started with.
     *
     * @param did       the node's own did:key (announced; what neighbourhood policies name)
     * @param capacity  participants this node takes before it redirects (`maxParticipantsPerNode`)
     * @param signalUrl where clients reach this node's `/signal`
     * @param presence  where the DIDs of the SFU nodes up are kept for rooms to decide topology
     */
    public record Settings(String nodeId, String did, String mode, int capacity, String signalUrl,
                           ParticipantSettings participants, SfuPresence presence) {
    }

    /** Participants on this node right now, for metrics; written only by the SfuNode actor. */
    public static final class Gauges {
        public final java.util.concurrent.atomic.AtomicInteger participants = new java.util.concurrent.atomic.AtomicInteger();
    }

    private final Settings settings;
    private final RoomDirectory rooms;
    private final MediaServices media;
    private final TimerScheduler<Command> timers;
    private final Gauges gauges;
    private final NodeEnvironment environment;
    private final NodeAnnouncement announcement;
    private final LocalParticipants local = new LocalParticipants();
    private final NodePeers peers = new NodePeers();
    private boolean draining;

    public static Behavior<Command> create(Settings settings, RoomDirectory rooms, MediaServices media,
                                           Gauges gauges) {
        return create(settings, rooms, media, gauges, NodeEnvironment.of(media));
    }

    /** @param environment the clock, load and cluster this node reads and acts on */
    static Behavior<Command> create(Settings settings, RoomDirectory rooms, MediaServices media, Gauges gauges,
                                    NodeEnvironment environment) {
        return Behaviors.setup(context -> Behaviors.withTimers(
                timers -> new SfuNode(context, timers, settings, rooms, media, gauges, environment)));
    }

    private SfuNode(ActorContext<Command> context, TimerScheduler<Command> timers, Settings settings,
                    RoomDirectory rooms, MediaServices media, Gauges gauges, NodeEnvironment environment) {
        super(context);
        this.gauges = gauges;
        this.settings = settings;
        this.rooms = rooms;
        this.media = media;
        this.timers = timers;
        this.environment = environment;
        this.announcement = new NodeAnnouncement(settings, environment);
        ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class, Listing::new);
        context.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, context.getSelf()));
        context.getSystem().receptionist().tell(Receptionist.subscribe(SERVICE_KEY, listings));
        timers.startTimerWithFixedDelay(AnnounceTick.INSTANCE, ANNOUNCE_INTERVAL);
        updatePresence();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Join.class, this::onJoin)
                .onMessage(FindParticipant.class, this::onFind)
                .onMessage(GetLoad.class, this::onGetLoad)
                .onMessage(GetNodes.class, this::onGetNodes)
                .onMessage(Announced.class, this::onAnnounced)
                .onMessage(Listing.class, this::onListing)
                .onMessageEquals(AnnounceTick.INSTANCE, this::onAnnounceTick)
                .onMessage(Drain.class, this::onDrain)
                .onMessage(DrainNode.class, this::onDrainNode)
                .onMessageEquals(DrainDeadline.INSTANCE, this::leaveCluster)
                .onMessage(ParticipantStopped.class, this::onParticipantStopped)
                .build();
    }

    private Behavior<Command> onJoin(Join join) {
        Optional<JoinOutcome> elsewhere = NodeAdmission.decide(local.size(), settings.capacity(), draining,
                peers::leastLoaded);
        if (elsewhere.isPresent()) {
            if (elsewhere.get() instanceof Full) {
                getContext().getLog().info("join refused: node full ({} of {} participants) and no node has room",
                        local.size(), settings.capacity());
            }
            join.replyTo().tell(elsewhere.get());
            return this;
        }
        JoinRequest request = join.request();
        RoomKey key = new RoomKey(request.neighbourhood(), request.room());
        ParticipantId id = ParticipantId.random();
        ResumeToken resumeToken = ResumeToken.random();
        ParticipantInfo info = new ParticipantInfo(id, request.did(), request.name(), settings.nodeId());
        Participant.Setup setup = new Participant.Setup(info, key, rooms.room(key), request.autoSubscribe(),
                request.requestId(), join.link(), settings.mode(), media, settings.participants(), resumeToken);
        ActorRef<Participant.Command> ref = getContext().spawn(Participant.create(setup), "participant-" + id.value());
        getContext().watchWith(ref, new ParticipantStopped(id));
        local.add(id, ref, key, request.did(), resumeToken);
        gauges.participants.set(local.size());
        join.replyTo().tell(new Admitted(id, ref));
        return this;
    }

    private Behavior<Command> onFind(FindParticipant find) {
        find.replyTo().tell(local.find(find.participantId()));
        return this;
    }

    private Behavior<Command> onGetLoad(GetLoad get) {
        get.replyTo().tell(load());
        return this;
    }

    private Load load() {
        return new Load(settings.nodeId(), local.size(), local.roomNames(), draining);
    }

    private Behavior<Command> onGetNodes(GetNodes get) {
        get.replyTo().tell(new Nodes(peers.withOwn(announcement.announce(local.size(), draining))));
        return this;
    }

    private Behavior<Command> onAnnounceTick() {
        SfuAnnounce mine = announcement.announce(local.size(), draining);
        peers.tellListed(new Announced(mine, getContext().getSelf()), getContext().getSelf());
        return this;
    }

    private Behavior<Command> onAnnounced(Announced announced) {
        if (peers.announced(announced.announce(), announced.from())) {
            getContext().getLog().info("sfu-announce from node {} ({})", announced.announce().node(),
                    announced.announce().signalUrl());
        }
        updatePresence();
        return this;
    }

    private Behavior<Command> onListing(Listing listing) {
        peers.listed(listing.listing().getServiceInstances(SERVICE_KEY));
        onAnnounceTick(); // newcomers hear from us at once
        for (String node : peers.forgetUnlisted()) {
            getContext().getLog().info("sfu-leave: node {} left", node);
        }
        updatePresence();
        return this;
    }

    private void updatePresence() {
        peers.publish(settings.presence(), settings.did(), draining);
    }

    private Behavior<Command> onDrainNode(DrainNode drain) {
        if (drain.nodeId().equals(settings.nodeId())) {
            return onDrain(new Drain(drain.replyTo()));
        }
        peers.ref(drain.nodeId()).ifPresent(peer -> peer.tell(new Drain(drain.replyTo())));
        return this;
    }

    private Behavior<Command> onDrain(Drain drain) {
        if (!draining) {
            draining = true;
            String target = peers.leastLoaded().orElse(null);
            getContext().getLog().info("draining: {} participants to move to {}", local.size(), target);
            if (target != null) {
                local.tellAll(new Participant.Reconnect(target, "drain"));
            }
            timers.startSingleTimer(DrainDeadline.INSTANCE, DRAIN_DEADLINE);
            if (local.isEmpty()) {
                getContext().getSelf().tell(DrainDeadline.INSTANCE);
            }
        }
        drain.replyTo().tell(load());
        return this;
    }

    private Behavior<Command> onParticipantStopped(ParticipantStopped stopped) {
        local.remove(stopped.participantId());
        gauges.participants.set(local.size());
        if (draining && local.isEmpty()) {
            return leaveCluster();
        }
        return this;
    }

    private Behavior<Command> leaveCluster() {
        getContext().getLog().info("drained ({} participants left here); leaving the cluster", local.size());
        environment.leaveCluster().accept(getContext().getSystem());
        return this;
    }
}
