package org.adam.sfu.pipe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.adam.sfu.room.CborSerializable;
import org.adam.sfu.room.Gather;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.room.neighbourhood.SfuPipeOffer;
import org.adam.sfu.webrtc.transport.MediaWorkers;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * One per node: owns the node's {@link PipeTransport}s, one per room and remote node. Local
 * participants' needs for tracks published elsewhere arrive here and go to the pipe towards the
 * track's node, which is offered on first need. Remote nodes' offers arrive here too.
 */
public final class PipeManager extends AbstractBehavior<PipeManager.Command> {

    public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "pipe-managers");

    public sealed interface Command {
    }

    public record Need(RoomKey room, TrackInfo track, ParticipantId participant,
                       ActorRef<Participant.Command> receiver) implements Command {
    }

    public record Release(RoomKey room, TrackId track, ParticipantId participant) implements Command {
    }

    /** The layers of a remote track one participant here needs (RemoteTrackBroker.demand). */
    public record Demand(RoomKey room, TrackInfo track, ParticipantId participant, int layers) implements Command {
    }

    /** From another node's pipe actor: `sfu-pipe-offer` for a room. */
    public record OfferFromRemote(SfuPipeOffer offer, RoomKey room, ActorRef<PipeTransport.Command> offerer)
            implements Command, CborSerializable {
    }

    /** Managers introduce themselves by node id when they see each other in the receptionist. */
    public record Hello(String nodeId, ActorRef<Command> manager) implements Command, CborSerializable {
    }

    public record GetPipes(RoomKey room, ActorRef<PipeList> replyTo) implements Command, CborSerializable {
    }

    /**
     * A node's pipes; a record (not a bare list) so that it can cross nodes as CBOR.
     * @param unanswered pipes of the room that did not report in time (a busy media loop): the list is partial
     */
    public record PipeList(List<PipeStats> pipes, int unanswered) implements CborSerializable {
    }

    record PipeStopped(PipeKey key, ActorRef<PipeTransport.Command> pipe) implements Command {
    }

    private record Listing(Receptionist.Listing listing) implements Command {
    }

    /** How long a pipe's media loop has to read its counters; under the admin API's wait per node (1.5 s). */
    private static final Duration PIPE_STATS_TIMEOUT = Duration.ofSeconds(1);

    private final String nodeId;
    private final MediaWorkers media;
    private final Map<String, ActorRef<Command>> managers = new HashMap<>();
    private final Map<PipeKey, ActorRef<PipeTransport.Command>> pipes = new HashMap<>();
    /** Every local need per pipe, so a pipe replaced after an offer race gets them again. */
    private final Map<PipeKey, Map<String, Need>> needs = new HashMap<>();
    /** Needs for nodes whose manager is not known yet; sent on its Hello. */
    private final Map<String, List<Need>> waiting = new HashMap<>();

    public static Behavior<Command> create(String nodeId, MediaWorkers media) {
        return Behaviors.setup(context -> new PipeManager(context, nodeId, media));
    }

    private PipeManager(ActorContext<Command> context, String nodeId, MediaWorkers media) {
        super(context);
        this.nodeId = nodeId;
        this.media = media;
        ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class, Listing::new);
        context.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, context.getSelf()));
        context.getSystem().receptionist().tell(Receptionist.subscribe(SERVICE_KEY, listings));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Listing.class, this::onListing)
                .onMessage(Hello.class, this::onHello)
                .onMessage(Need.class, this::onNeed)
                .onMessage(Release.class, this::onRelease)
                .onMessage(Demand.class, this::onDemand)
                .onMessage(OfferFromRemote.class, this::onOffer)
                .onMessage(PipeStopped.class, this::onPipeStopped)
                .onMessage(GetPipes.class, this::onGetPipes)
                .build();
    }

    private Behavior<Command> onListing(Listing listing) {
        Set<ActorRef<Command>> refs = listing.listing().getServiceInstances(SERVICE_KEY);
        for (ActorRef<Command> ref : refs) {
            if (!ref.equals(getContext().getSelf()) && !managers.containsValue(ref)) {
                ref.tell(new Hello(nodeId, getContext().getSelf()));
            }
        }
        managers.values().removeIf(ref -> !refs.contains(ref));
        return this;
    }

    private Behavior<Command> onHello(Hello hello) {
        boolean known = hello.manager().equals(managers.get(hello.nodeId()));
        managers.put(hello.nodeId(), hello.manager());
        if (!known) {
            hello.manager().tell(new Hello(nodeId, getContext().getSelf()));
        }
        List<Need> pending = waiting.remove(hello.nodeId());
        if (pending != null) {
            pending.forEach(this::onNeed);
        }
        return this;
    }

    private Behavior<Command> onNeed(Need need) {
        String origin = need.track().node();
        if (origin.equals(nodeId)) {
            return this;
        }
        PipeKey key = new PipeKey(need.room(), origin);
        needs.computeIfAbsent(key, k -> new HashMap<>())
                .put(need.track().trackId().value() + "/" + need.participant().value(), need);
        ActorRef<PipeTransport.Command> pipe = pipes.get(key);
        if (pipe == null) {
            ActorRef<Command> remote = managers.get(origin);
            if (remote == null) {
                waiting.computeIfAbsent(origin, n -> new ArrayList<>()).add(need);
                return this;
            }
            pipe = spawn(key, PipeOpening.offerer(key, nodeId, media.forRoom(key.room().toString()), remote,
                    getContext().getSelf()));
        }
        pipe.tell(new PipeTransport.Want(need.track(), need.participant(), need.receiver()));
        return this;
    }

    private Behavior<Command> onDemand(Demand demand) {
        ActorRef<PipeTransport.Command> pipe = pipes.get(new PipeKey(demand.room(), demand.track().node()));
        if (pipe != null) {
            pipe.tell(new PipeTransport.LayerDemand(demand.track().trackId(), demand.participant(), demand.layers()));
        }
        return this;
    }

    private Behavior<Command> onRelease(Release release) {
        waiting.values().forEach(list -> list.removeIf(n -> n.track().trackId().equals(release.track())
                && n.participant().equals(release.participant())));
        needs.forEach((key, byTrack) -> {
            if (key.room().equals(release.room())) {
                byTrack.remove(release.track().value() + "/" + release.participant().value());
            }
        });
        needs.values().removeIf(Map::isEmpty);
        pipes.forEach((key, pipe) -> {
            if (key.room().equals(release.room())) {
                pipe.tell(new PipeTransport.Unwant(release.track(), release.participant()));
            }
        });
        return this;
    }

    private Behavior<Command> onOffer(OfferFromRemote offer) {
        PipeKey key = new PipeKey(offer.room(), offer.offer().fromDid());
        ActorRef<PipeTransport.Command> existing = pipes.get(key);
        if (existing != null) {
            // Both nodes offered at once: keep the offer of the node with the smaller id.
            if (PipeNegotiation.keepsOwnOffer(nodeId, offer.offer().fromDid())) {
                return this;
            }
            existing.tell(PipeTransport.Close.INSTANCE);
            pipes.remove(key);
        }
        ActorRef<PipeTransport.Command> pipe = spawn(key,
                PipeOpening.answerer(key, nodeId, media.forRoom(key.room().toString()), offer.offer(), offer.offerer(),
                        getContext().getSelf()));
        // If our own offer lost the race, its participants' needs move to the pipe that won.
        needs.getOrDefault(key, Map.of()).values()
                .forEach(need -> pipe.tell(new PipeTransport.Want(need.track(), need.participant(), need.receiver())));
        return this;
    }

    private ActorRef<PipeTransport.Command> spawn(PipeKey key, Behavior<PipeTransport.Command> behavior) {
        // The time only makes the name unique: a pipe replaced after an offer race may still be stopping.
        String name = "pipe-" + Integer.toHexString(key.hashCode()) + "-" + System.nanoTime();
        ActorRef<PipeTransport.Command> pipe = getContext().spawn(behavior, name);
        getContext().watchWith(pipe, new PipeStopped(key, pipe));
        pipes.put(key, pipe);
        return pipe;
    }

    private Behavior<Command> onPipeStopped(PipeStopped stopped) {
        pipes.remove(stopped.key(), stopped.pipe());
        return this;
    }

    private Behavior<Command> onGetPipes(GetPipes get) {
        collect(get.replyTo(), pipes.entrySet().stream().filter(e -> e.getKey().room().equals(get.room()))
                .map(Map.Entry::getValue).toList());
        return this;
    }

    /**
     * Gathers the stats of {@code targets} in a short-lived child and replies with them all. A pipe
     * closing meanwhile never answers; the short wait keeps the reply inside the asker's timeout.
     */
    private void collect(ActorRef<PipeList> replyTo, List<ActorRef<PipeTransport.Command>> targets) {
        getContext().spawnAnonymous(Gather.<PipeTransport.Command, PipeStats, PipeList>create(targets,
                PipeTransport.GetStats::new, PIPE_STATS_TIMEOUT, PipeList::new, replyTo));
    }
}
