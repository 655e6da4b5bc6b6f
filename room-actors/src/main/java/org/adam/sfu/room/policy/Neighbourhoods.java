package org.adam.sfu.room.policy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.adam.sfu.room.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;

/**
 * Keeps every neighbourhood's policy (owner, `sfu` block, members) in Pekko Distributed Data:
 * one last-writer-wins map replicated to every node and stored durably (LMDB) on each, so it is
 * the same cluster-wide and survives restarts (docs/decisions/0011). One per node; its
 * {@link NeighbourhoodDirectory} is the node's synchronous view.
 *
 * <p>Who may change what is checked here against the replicated state; that a request really
 * comes from the DID it names (a signature) is checked by the API in front of it.
 */
public final class Neighbourhoods extends AbstractBehavior<Neighbourhoods.Command> {

    /** The replicated map's key; listed in the durable keys of the node's configuration. */
    public static final Key<LWWMap<String, NeighbourhoodPolicy>> KEY = LWWMapKey.create("sfu-neighbourhoods");
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);

    public sealed interface Command {
    }

    /** Sets the `sfu` block; {@code signer} must be the registered owner. */
    public record SetConfig(String neighbourhood, SfuConfig config, String signer, ActorRef<Outcome> replyTo)
            implements Command {
    }

    /** Registers the owner (an operator's or the executor's call, authorised by the API). */
    public record SetOwner(String neighbourhood, String owner, ActorRef<Outcome> replyTo) implements Command {
    }

    /** Replaces the member DIDs (an operator's or the executor's call, authorised by the API). */
    public record SetMembers(String neighbourhood, List<String> members, ActorRef<Outcome> replyTo)
            implements Command {
    }

    public sealed interface Outcome extends CborSerializable {
    }

    public record Saved(NeighbourhoodPolicy policy) implements Outcome {
    }

    /** {@code code}: no-owner, not-owner, unavailable. */
    public record Refused(String code, String message) implements Outcome {
    }

    private record Changed(Replicator.SubscribeResponse<LWWMap<String, NeighbourhoodPolicy>> change)
            implements Command {
    }

    private record Written(Replicator.UpdateResponse<LWWMap<String, NeighbourhoodPolicy>> response,
                           String neighbourhood, NeighbourhoodPolicy policy, ActorRef<Outcome> replyTo)
            implements Command {
    }

    private final ReplicatorMessageAdapter<Command, LWWMap<String, NeighbourhoodPolicy>> replicator;
    private final SelfUniqueAddress self;
    private final NeighbourhoodDirectory directory;
    private final Map<String, NeighbourhoodPolicy> policies = new HashMap<>();
    /**
     * Written here and not yet seen back from the replicator: a change notification may still
     * carry the state from before them, which must not undo them in the directory.
     */
    private final Map<String, NeighbourhoodPolicy> pending = new HashMap<>();

    public static Behavior<Command> create(NeighbourhoodDirectory directory) {
        return Behaviors.setup(context -> DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, LWWMap<String, NeighbourhoodPolicy>> replicator) ->
                        new Neighbourhoods(context, replicator, directory)));
    }

    private Neighbourhoods(ActorContext<Command> context,
                           ReplicatorMessageAdapter<Command, LWWMap<String, NeighbourhoodPolicy>> replicator,
                           NeighbourhoodDirectory directory) {
        super(context);
        this.replicator = replicator;
        this.directory = directory;
        this.self = DistributedData.get(context.getSystem()).selfUniqueAddress();
        replicator.subscribe(KEY, Changed::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(SetConfig.class, this::onSetConfig)
                .onMessage(SetOwner.class, set -> update(set.neighbourhood(), p -> p.withOwner(set.owner()),
                        set.replyTo()))
                .onMessage(SetMembers.class, set -> update(set.neighbourhood(),
                        p -> p.withMembers(set.members()), set.replyTo()))
                .onMessage(Changed.class, this::onChanged)
                .onMessage(Written.class, this::onWritten)
                .build();
    }

    private Behavior<Command> onSetConfig(SetConfig set) {
        NeighbourhoodPolicy current = policies.getOrDefault(set.neighbourhood(), NeighbourhoodPolicy.UNKNOWN);
        if (current.owner() == null) {
            set.replyTo().tell(new Refused("no-owner", "neighbourhood " + set.neighbourhood()
                    + " has no registered owner; register one first"));
            return this;
        }
        if (!current.owner().equals(set.signer())) {
            set.replyTo().tell(new Refused("not-owner", set.signer() + " is not the owner of " + set.neighbourhood()));
            return this;
        }
        return update(set.neighbourhood(), p -> p.withConfig(set.config()), set.replyTo());
    }

    private Behavior<Command> update(String neighbourhood, UnaryOperator<NeighbourhoodPolicy> change,
                                     ActorRef<Outcome> replyTo) {
        NeighbourhoodPolicy next = change.apply(policies.getOrDefault(neighbourhood, NeighbourhoodPolicy.UNKNOWN));
        policies.put(neighbourhood, next);
        pending.put(neighbourhood, next);
        directory.replace(policies);
        replicator.askUpdate(
                askReplyTo -> new Replicator.Update<>(KEY, LWWMap.empty(), new Replicator.WriteMajority(WRITE_TIMEOUT),
                        askReplyTo, map -> map.put(self, neighbourhood, next)),
                response -> new Written(response, neighbourhood, next, replyTo));
        return this;
    }

    private Behavior<Command> onWritten(Written written) {
        // The local replica has it now: later change notifications include it (or newer).
        pending.remove(written.neighbourhood(), written.policy());
        if (written.response() instanceof Replicator.UpdateSuccess<?>) {
            written.replyTo().tell(new Saved(written.policy()));
        } else {
            // Written locally (and durably) anyway; the other nodes get it by gossip.
            getContext().getLog().warn("neighbourhood policy not confirmed by a majority: {}", written.response());
            written.replyTo().tell(new Saved(written.policy()));
        }
        return this;
    }

    private Behavior<Command> onChanged(Changed changed) {
        if (changed.change() instanceof Replicator.Changed<LWWMap<String, NeighbourhoodPolicy>> c) {
            Map<String, NeighbourhoodPolicy> replicated = c.get(KEY).getEntries();
            policies.clear();
            policies.putAll(replicated);
            pending.entrySet().removeIf(entry -> entry.getValue().equals(replicated.get(entry.getKey())));
            policies.putAll(pending);
            directory.replace(policies);
        }
        return this;
    }
}
