package org.adam.sfu.room;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.adam.sfu.room.policy.SfuConfig;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One call: its protocol (what participants, operators and watchers send a room and what it
 * tells them) and the factory of its actor, {@link RoomActor}, the single writer of who is in it,
 * which tracks are published, and who receives what. It holds no media and no sockets, only
 * addresses of {@link Participant} actors, so the same behaviour runs as a local child or as a
 * Cluster Sharding entity on any node. The messages stay nested here: their class names are the
 * serialization manifests of what nodes send each other.
 */
public final class Room {

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

    /** The actor of a member stopped (its participant went, or its node). */
    record MemberTerminated(ParticipantId participantId) implements Command {
    }

    record WatcherGone(ActorRef<Event> watcher) implements Command {
    }

    enum IdleTimeout implements Command { INSTANCE }

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

    /** A rebuild has waited long enough for the surviving participants' reports. */
    enum Settle implements Command { INSTANCE }

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

    /**
     * @param hostNode  this node's id, for operators
     * @param nodeIsUp  whether the node at an address is still a cluster member (a member whose
     *                  actor stopped with its node left with reason `node-failed`)
     */
    public static Behavior<Command> create(RoomKey key, String hostNode, Predicate<Address> nodeIsUp,
                                           RoomSettings settings, Passivation passivation) {
        return Behaviors.setup(context -> Behaviors.withTimers(
                timers -> new RoomActor(context, timers, key, hostNode, nodeIsUp, settings, passivation)));
    }

    private Room() {
    }
}
