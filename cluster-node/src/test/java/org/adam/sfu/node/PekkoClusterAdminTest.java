package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.adam.sfu.pipe.PipeManager;
import org.adam.sfu.pipe.PipeStats;
import org.adam.sfu.room.Room;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.SfuNode;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cluster service against stand-in actors: two nodes, a room and a pipe manager. */
class PekkoClusterAdminTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final RoomKey LOBBY = new RoomKey("https://n.example", "lobby");
    private static final PipeStats PIPE = new PipeStats("https://n.example/lobby", "node-a", "node-b", "offer", true,
            List.of());
    private static PekkoClusterAdmin admin;

    /** A node that reports {@code rooms} and drains whichever node it is asked to. */
    private static Behavior<SfuNode.Command> node(String id, List<String> rooms) {
        return Behaviors.receiveMessage(message -> {
            if (message instanceof SfuNode.GetLoad get) {
                get.replyTo().tell(new SfuNode.Load(id, rooms.size(), rooms, false));
            } else if (message instanceof SfuNode.DrainNode drain) {
                drain.replyTo().tell(new SfuNode.Load(drain.nodeId(), 7, List.of(), true));
            }
            return Behaviors.same();
        });
    }

    private static <T> void register(ServiceKey<T> key, ActorRef<T> actor) {
        TestProbe<Receptionist.Registered> registered = KIT.createTestProbe();
        KIT.system().receptionist().tell(Receptionist.register(key, actor, registered.getRef()));
        registered.expectMessageClass(Receptionist.Registered.class);
    }

    @BeforeAll
    static void start() {
        ActorRef<SfuNode.Command> self = KIT.spawn(node("node-a", List.of("https://n.example/x")));
        register(SfuNode.SERVICE_KEY, self);
        register(SfuNode.SERVICE_KEY, KIT.spawn(node("node-b",
                List.of("https://n.example/x", "https://n.example/a"))));
        Behavior<PipeManager.Command> pipes = Behaviors.receiveMessage(message -> {
            if (message instanceof PipeManager.GetPipes get && get.room().equals(LOBBY)) {
                get.replyTo().tell(new PipeManager.PipeList(List.of(PIPE), 1));
            }
            return Behaviors.same();
        });
        register(PipeManager.SERVICE_KEY, KIT.spawn(pipes));
        ActorRef<Room.Command> lobby = KIT.spawn(Behaviors.receiveMessage(message -> {
            if (message instanceof Room.GetState get) {
                get.replyTo().tell(new Room.State(LOBBY, "node-a", List.of(), List.of(), Map.of()));
            }
            return Behaviors.same();
        }));
        admin = new PekkoClusterAdmin(KIT.system(), self, key -> lobby);
    }

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void roomsGatherEveryNodesRoomsInEntityOrderWithTheirNodesSorted() throws Exception {
        assertThat(await(admin.rooms())).containsExactly(
                new ClusterAdmin.RoomSummary(new RoomKey("https://n.example", "a"), List.of("node-b")),
                new ClusterAdmin.RoomSummary(new RoomKey("https://n.example", "x"), List.of("node-a", "node-b")));
    }

    @Test
    void aRoomComesWithItsPipesAndSaysWhenSomePipeDidNotAnswer() throws Exception {
        ClusterAdmin.RoomDetail detail = await(admin.room(LOBBY));
        assertThat(detail.state().hostNode()).isEqualTo("node-a");
        assertThat(detail.pipes()).containsExactly(PIPE);
        assertThat(detail.pipesComplete()).isFalse();
    }

    @Test
    void drainingAKnownNodeAsksThisNodeAndAnUnknownOneIsEmpty() throws Exception {
        Optional<SfuNode.Load> drained = await(admin.drain("node-b"));
        assertThat(drained).hasValueSatisfying(load -> {
            assertThat(load.nodeId()).isEqualTo("node-b");
            assertThat(load.draining()).isTrue();
        });
        assertThat(await(admin.drain("node-z"))).isEmpty();
    }
}
