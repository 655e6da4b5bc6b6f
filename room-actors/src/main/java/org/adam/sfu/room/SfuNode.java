package org.adam.sfu.room;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.adam.sfu.room.media.MediaServices;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One per node JVM: admits participants (spawning their {@link Participant} actors here, where
 * their transports live), finds them again for a resume, and knows the node's load.
 */
public final class SfuNode extends AbstractBehavior<SfuNode.Command> {

    public sealed interface Command {
    }

    /** A validated join from a client connected to this node. */
    public record Join(JoinRequest request, ClientLink link, ActorRef<Admitted> replyTo) implements Command {
    }

    public record JoinRequest(String requestId, String neighbourhood, String room, String did, String name,
                              boolean autoSubscribe) {
    }

    /** The participant actor now handling the join (it answers the client itself). */
    public record Admitted(ParticipantId participantId, ActorRef<Participant.Command> participant) {
    }

    public record FindParticipant(ParticipantId participantId, ActorRef<Optional<Found>> replyTo)
            implements Command {
    }

    /** A local participant, with the DID it joined with (a resume must prove the same DID). */
    public record Found(ActorRef<Participant.Command> participant, String did) {
    }

    public record GetLoad(ActorRef<Load> replyTo) implements Command {
    }

    public record Load(String nodeId, int participants, List<String> rooms) {
    }

    private record ParticipantStopped(ParticipantId participantId) implements Command {
    }

    /** What the node was started with. */
    public record Settings(String nodeId, String mode, ParticipantSettings participants) {
    }

    private record Local(ActorRef<Participant.Command> ref, RoomKey roomKey, String did) {
    }

    private final Settings settings;
    private final RoomDirectory rooms;
    private final MediaServices media;
    private final Map<ParticipantId, Local> local = new HashMap<>();

    public static Behavior<Command> create(Settings settings, RoomDirectory rooms, MediaServices media) {
        return Behaviors.setup(context -> new SfuNode(context, settings, rooms, media));
    }

    private SfuNode(ActorContext<Command> context, Settings settings, RoomDirectory rooms, MediaServices media) {
        super(context);
        this.settings = settings;
        this.rooms = rooms;
        this.media = media;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Join.class, this::onJoin)
                .onMessage(FindParticipant.class, this::onFind)
                .onMessage(GetLoad.class, this::onGetLoad)
                .onMessage(ParticipantStopped.class, stopped -> {
                    local.remove(stopped.participantId());
                    return this;
                })
                .build();
    }

    private Behavior<Command> onJoin(Join join) {
        JoinRequest request = join.request();
        RoomKey key = new RoomKey(request.neighbourhood(), request.room());
        ParticipantId id = ParticipantId.random();
        ParticipantInfo info = new ParticipantInfo(id, request.did(), request.name(), settings.nodeId());
        Participant.Setup setup = new Participant.Setup(info, key, rooms.room(key), request.autoSubscribe(),
                request.requestId(), join.link(), settings.mode(), media, settings.participants());
        ActorRef<Participant.Command> ref = getContext().spawn(Participant.create(setup), "participant-" + id.value());
        getContext().watchWith(ref, new ParticipantStopped(id));
        local.put(id, new Local(ref, key, request.did()));
        join.replyTo().tell(new Admitted(id, ref));
        return this;
    }

    private Behavior<Command> onFind(FindParticipant find) {
        Local found = local.get(find.participantId());
        find.replyTo().tell(Optional.ofNullable(found).map(l -> new Found(l.ref(), l.did())));
        return this;
    }

    private Behavior<Command> onGetLoad(GetLoad get) {
        List<String> roomNames = local.values().stream().map(l -> l.roomKey().toString()).distinct().sorted().toList();
        get.replyTo().tell(new Load(settings.nodeId(), local.size(), roomNames));
        return this;
    }
}
