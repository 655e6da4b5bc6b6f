package org.adam.sfu.room;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Leave;

/**
 * One per node JVM: admits participants (spawning their {@link Participant} actors here, where
 * their transports live), announces the node's load to the other nodes (`sfu-announce`),
 * redirects joins when full, and drains the node on request.
 */
public final class SfuNode extends AbstractBehavior<SfuNode.Command> {

    public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "sfu-nodes");
    private static final Duration ANNOUNCE_INTERVAL = Duration.ofSeconds(2);
    private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(20);
    private static final int MAX_REMEMBERED_SIGNAL_URLS = 1024;

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
     * @param capacity  participants this node takes before it redirects (`maxParticipantsPerNode`)
     * @param signalUrl where clients reach this node's `/signal`
     */
    /**
     * @param did      the node's own did:key (announced; what neighbourhood policies name)
     * @param presence where the DIDs of the SFU nodes up are kept for rooms to decide topology
     */
    public record Settings(String nodeId, String did, String mode, int capacity, String signalUrl,
                           ParticipantSettings participants, SfuPresence presence) {
    }

    /** Participants on this node right now, for metrics; written only by the SfuNode actor. */
    public static final class Gauges {
        public final java.util.concurrent.atomic.AtomicInteger participants = new java.util.concurrent.atomic.AtomicInteger();
    }

    private record Local(ActorRef<Participant.Command> ref, RoomKey roomKey, String did, ResumeToken resumeToken) {
    }

    private record Peer(SfuAnnounce announce, ActorRef<Command> ref) {
    }

    private final Settings settings;
    private final RoomDirectory rooms;
    private final MediaServices media;
    private final Set<String> announcedSignalUrls = new java.util.HashSet<>();
    private final TimerScheduler<Command> timers;
    private final Gauges gauges;
    private final Instant started = Instant.now();
    private final Map<ParticipantId, Local> local = new HashMap<>();
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private Set<ActorRef<Command>> listed = Set.of();
    private boolean draining;

    public static Behavior<Command> create(Settings settings, RoomDirectory rooms, MediaServices media,
                                           Gauges gauges) {
        return Behaviors.setup(context -> Behaviors.withTimers(
                timers -> new SfuNode(context, timers, settings, rooms, media, gauges)));
    }

    private SfuNode(ActorContext<Command> context, TimerScheduler<Command> timers, Settings settings,
                    RoomDirectory rooms, MediaServices media, Gauges gauges) {
        super(context);
        this.gauges = gauges;
        this.settings = settings;
        this.rooms = rooms;
        this.media = media;
        this.timers = timers;
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

    /**
     * Capacity is a hard limit: a node at capacity redirects to the least-loaded node with room,
     * or refuses (`node-full`) when there is none. A draining node below capacity redirects when
     * it can and admits otherwise.
     */
    private Behavior<Command> onJoin(Join join) {
        boolean full = local.size() >= settings.capacity();
        if (full || draining) {
            Optional<String> elsewhere = leastLoadedPeer();
            if (elsewhere.isPresent()) {
                join.replyTo().tell(new Redirected(elsewhere.get()));
                return this;
            }
            if (full) {
                getContext().getLog().info("join refused: node full ({} of {} participants) and no node has room",
                        local.size(), settings.capacity());
                join.replyTo().tell(new Full("this node is full (" + settings.capacity()
                        + " participants) and no other node has room"));
                return this;
            }
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
        local.put(id, new Local(ref, key, request.did(), resumeToken));
        gauges.participants.set(local.size());
        join.replyTo().tell(new Admitted(id, ref));
        return this;
    }

    private Optional<String> leastLoadedPeer() {
        return peers.values().stream()
                .map(Peer::announce)
                .filter(SfuAnnounce::hasRoom)
                .min(Comparator.comparingDouble((SfuAnnounce a) -> (double) a.participantCount() / a.capacityHint())
                        .thenComparing(SfuAnnounce::node))
                .map(SfuAnnounce::signalUrl);
    }

    private Behavior<Command> onFind(FindParticipant find) {
        Local found = local.get(find.participantId());
        find.replyTo().tell(Optional.ofNullable(found).map(l -> new Found(l.ref(), l.did(), l.resumeToken())));
        return this;
    }

    private Behavior<Command> onGetLoad(GetLoad get) {
        get.replyTo().tell(load());
        return this;
    }

    private Load load() {
        List<String> roomNames = local.values().stream().map(l -> l.roomKey().toString()).distinct().sorted().toList();
        return new Load(settings.nodeId(), local.size(), roomNames, draining);
    }

    private Behavior<Command> onGetNodes(GetNodes get) {
        List<SfuAnnounce> all = new java.util.ArrayList<>();
        all.add(announce());
        peers.values().forEach(p -> all.add(p.announce()));
        all.sort(Comparator.comparing(SfuAnnounce::node));
        get.replyTo().tell(new Nodes(all));
        return this;
    }

    private SfuAnnounce announce() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        double cpu = load < 0 ? 0 : Math.min(1.0, load / cores);
        long bitsPerSecond = media.counters().rtpForwardedBytes.sum() * 8;
        long uptime = Duration.between(started, Instant.now()).toSeconds();
        long kbps = uptime == 0 ? 0 : bitsPerSecond / 1000 / uptime;
        return new SfuAnnounce(settings.did(), "", local.size(), settings.capacity(), settings.nodeId(),
                settings.signalUrl(), cpu, kbps, uptime, draining);
    }

    private Behavior<Command> onAnnounceTick() {
        SfuAnnounce mine = announce();
        for (ActorRef<Command> peer : listed) {
            if (!peer.equals(getContext().getSelf())) {
                peer.tell(new Announced(mine, getContext().getSelf()));
            }
        }
        return this;
    }

    private Behavior<Command> onAnnounced(Announced announced) {
        if (!peers.containsKey(announced.announce().node())) {
            getContext().getLog().info("sfu-announce from node {} ({})", announced.announce().node(),
                    announced.announce().signalUrl());
        }
        peers.put(announced.announce().node(), new Peer(announced.announce(), announced.from()));
        updatePresence();
        return this;
    }

    private Behavior<Command> onListing(Listing listing) {
        listed = listing.listing().getServiceInstances(SERVICE_KEY);
        onAnnounceTick(); // newcomers hear from us at once
        peers.values().removeIf(peer -> {
            if (listed.contains(peer.ref())) {
                return false;
            }
            getContext().getLog().info("sfu-leave: node {} left", peer.announce().node());
            return true;
        });
        updatePresence();
        return this;
    }

    /** The SFU nodes up: this one unless draining, and every announcing peer that is not. */
    private void updatePresence() {
        Set<String> live = new java.util.HashSet<>();
        if (!draining) {
            live.add(settings.did());
        }
        peers.values().stream().map(Peer::announce).filter(a -> !a.draining()).forEach(a -> live.add(a.did()));
        settings.presence().update(live);
        // Kept after a node leaves: pages it served reconnect through the survivors. Bounded: only
        // cluster members announce, and a cluster has far fewer nodes than this.
        peers.values().forEach(peer -> {
            if (announcedSignalUrls.size() < MAX_REMEMBERED_SIGNAL_URLS) {
                announcedSignalUrls.add(peer.announce().signalUrl());
            }
        });
        settings.presence().updateSignalUrls(announcedSignalUrls);
    }

    private Behavior<Command> onDrainNode(DrainNode drain) {
        if (drain.nodeId().equals(settings.nodeId())) {
            return onDrain(new Drain(drain.replyTo()));
        }
        Peer peer = peers.get(drain.nodeId());
        if (peer != null) {
            peer.ref().tell(new Drain(drain.replyTo()));
        }
        return this;
    }

    private Behavior<Command> onDrain(Drain drain) {
        if (!draining) {
            draining = true;
            String target = leastLoadedPeer().orElse(null);
            getContext().getLog().info("draining: {} participants to move to {}", local.size(), target);
            if (target != null) {
                local.values().forEach(l -> l.ref().tell(new Participant.Reconnect(target, "drain")));
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
        Cluster cluster = Cluster.get(getContext().getSystem());
        cluster.manager().tell(Leave.create(cluster.selfMember().address()));
        return this;
    }
}
