package org.adam.sfu.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.adam.sfu.pipe.PipeManager;
import org.adam.sfu.pipe.PipeStats;
import org.adam.sfu.room.Room;
import org.adam.sfu.room.RoomDirectory;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.room.neighbourhood.SfuAnnounce;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * {@link ClusterAdmin} by asking the actors: this node's {@link SfuNode}, every node's through
 * the receptionist, rooms through their directory. Holds no state of its own; any thread may
 * call it, and its stages complete on the actor system's threads.
 */
final class PekkoClusterAdmin implements ClusterAdmin {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /**
     * A room being re-created after a crash, or a node that just died, does not answer: say so
     * quickly (leaving that node out) and let the caller retry.
     */
    private static final Duration ROOM_TIMEOUT = Duration.ofSeconds(1);
    /** Each node's answer; longer than a node's own gathering from its pipes (1 s). */
    private static final Duration NODE_TIMEOUT = Duration.ofMillis(1500);

    private final ActorSystem<?> system;
    private final ActorRef<SfuNode.Command> node;
    private final RoomDirectory rooms;

    PekkoClusterAdmin(ActorSystem<?> system, ActorRef<SfuNode.Command> node, RoomDirectory rooms) {
        this.system = system;
        this.node = node;
        this.rooms = rooms;
    }

    @Override
    public Membership membership() {
        Cluster cluster = Cluster.get(system);
        var state = cluster.state();
        Set<org.apache.pekko.cluster.Member> unreachable = state.getUnreachable();
        List<Member> members = new ArrayList<>();
        for (org.apache.pekko.cluster.Member member : state.getMembers()) {
            members.add(new Member(nodeIdOf(member), member.address().toString(), member.status().toString(),
                    !unreachable.contains(member), List.copyOf(member.getRoles())));
        }
        List<String> unreachableNodes = unreachable.stream().map(PekkoClusterAdmin::nodeIdOf).toList();
        return new Membership(nodeIdOf(cluster.selfMember()),
                state.getLeader() == null ? null : addressNode(state.getLeader()), members, unreachableNodes);
    }

    private String addressNode(Address address) {
        for (org.apache.pekko.cluster.Member member : Cluster.get(system).state().getMembers()) {
            if (member.address().equals(address)) {
                return nodeIdOf(member);
            }
        }
        return address.toString();
    }

    private static String nodeIdOf(org.apache.pekko.cluster.Member member) {
        return member.getRoles().stream().filter(r -> r.startsWith("id=")).map(r -> r.substring(3)).findFirst()
                .orElse(member.address().toString());
    }

    @Override
    public CompletionStage<List<SfuAnnounce>> nodes() {
        CompletionStage<SfuNode.Nodes> nodes = AskPattern.ask(node, SfuNode.GetNodes::new, TIMEOUT, system.scheduler());
        return nodes.thenApply(SfuNode.Nodes::nodes);
    }

    @Override
    public CompletionStage<List<RoomSummary>> rooms() {
        return gatherAll(SfuNode.SERVICE_KEY, SfuNode.GetLoad::new).thenApply(loads -> {
            Map<String, List<String>> nodesByRoom = new TreeMap<>();
            for (SfuNode.Load load : loads) {
                load.rooms().forEach(r -> nodesByRoom.computeIfAbsent(r, k -> new ArrayList<>()).add(load.nodeId()));
            }
            List<RoomSummary> out = new ArrayList<>();
            nodesByRoom.forEach((room, nodes) -> {
                int cut = room.lastIndexOf('/');
                RoomKey key = new RoomKey(room.substring(0, cut), room.substring(cut + 1));
                out.add(new RoomSummary(key, nodes.stream().sorted().toList()));
            });
            return out;
        });
    }

    @Override
    public CompletionStage<RoomDetail> room(RoomKey key) {
        CompletionStage<Room.State> state = AskPattern.ask(rooms.room(key), Room.GetState::new, ROOM_TIMEOUT,
                system.scheduler());
        CompletionStage<Gathered<PipeManager.PipeList>> pipes = gather(PipeManager.SERVICE_KEY,
                replyTo -> new PipeManager.GetPipes(key, replyTo));
        return state.thenCombine(pipes, (s, gathered) -> {
            List<PipeStats> all = new ArrayList<>();
            gathered.answers().forEach(list -> all.addAll(list.pipes()));
            boolean everyPipe = gathered.unanswered() == 0
                    && gathered.answers().stream().allMatch(list -> list.unanswered() == 0);
            return new RoomDetail(s, all, everyPipe);
        });
    }

    @Override
    public CompletionStage<Optional<SfuNode.Load>> drain(String nodeId) {
        return gatherAll(SfuNode.SERVICE_KEY, SfuNode.GetLoad::new).thenCompose(loads -> {
            boolean known = loads.stream().anyMatch(l -> l.nodeId().equals(nodeId));
            if (!known) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            return AskPattern.<SfuNode.Command, SfuNode.Load>ask(node,
                            replyTo -> new SfuNode.DrainNode(nodeId, replyTo), TIMEOUT, system.scheduler())
                    .thenApply(Optional::of);
        });
    }

    /**
     * Asks every actor registered under {@code key} in the cluster; a node that does not answer in
     * time is left out rather than failing the whole request.
     */
    private <T, R> CompletionStage<List<R>> gatherAll(ServiceKey<T> key, Function<ActorRef<R>, T> question) {
        return gather(key, question).thenApply(Gathered::answers);
    }

    /** The answers that arrived in time, and how many of those asked did not answer. */
    private record Gathered<R>(List<R> answers, int unanswered) {
    }

    private <T, R> CompletionStage<Gathered<R>> gather(ServiceKey<T> key, Function<ActorRef<R>, T> question) {
        CompletionStage<Receptionist.Listing> listing = AskPattern.ask(system.receptionist(),
                replyTo -> Receptionist.find(key, replyTo), TIMEOUT, system.scheduler());
        return listing.thenCompose(l -> {
            List<CompletableFuture<R>> answers = new ArrayList<>();
            for (ActorRef<T> target : l.getServiceInstances(key)) {
                answers.add(AskPattern.<T, R>ask(target, question::apply, NODE_TIMEOUT, system.scheduler())
                        .toCompletableFuture().exceptionally(failure -> null));
            }
            return CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
                List<R> arrived = answers.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList();
                return new Gathered<>(arrived, answers.size() - arrived.size());
            });
        });
    }
}
