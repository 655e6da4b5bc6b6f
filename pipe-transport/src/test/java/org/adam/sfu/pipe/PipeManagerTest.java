package org.adam.sfu.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.adam.sfu.room.CodecSpec;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.room.neighbourhood.SfuPipeOffer;
import org.adam.sfu.webrtc.dtls.DtlsCertificate;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;
import org.adam.sfu.webrtc.transport.MediaServerConfig;
import org.adam.sfu.webrtc.transport.MediaWorkers;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's pipe manager opens a pipe towards the node a needed track comes from, keeps it while
 * the track is needed, and settles offers that cross. The other node is a test probe; the pipe
 * binds a real socket on 127.0.0.1.
 */
class PipeManagerTest {

    private static final RoomKey ROOM = new RoomKey("neighbourhood://test", "pipes");
    private static final CodecSpec OPUS = new CodecSpec(111, "opus", 48000, 2, "", List.of());
    private static final Duration WAIT = Duration.ofSeconds(5);

    private ActorTestKit kit;
    private MediaWorkers media;

    @BeforeEach
    void start() throws Exception {
        kit = ActorTestKit.create();
        media = MediaWorkers.start(MediaServerConfig.loopback(0), 1);
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
        media.close();
    }

    private static TrackInfo audioFrom(String node) {
        return new TrackInfo(TrackId.random(), ParticipantId.random(), "audio", "microphone", List.of(), false, "0",
                node, OPUS, 0);
    }

    /** A remote node's manager, found through the receptionist as managers find each other. */
    private TestProbe<PipeManager.Command> remoteManager() {
        TestProbe<PipeManager.Command> remote = kit.createTestProbe();
        TestProbe<Receptionist.Registered> registered = kit.createTestProbe();
        kit.system().receptionist().tell(Receptionist.register(PipeManager.SERVICE_KEY, remote.getRef(),
                registered.getRef()));
        registered.expectMessageClass(Receptionist.Registered.class);
        return remote;
    }

    /** The manager greets the remote one it found; the remote one greets it back by node id. */
    private static void greet(TestProbe<PipeManager.Command> remote, String remoteNode) {
        PipeManager.Hello hello = remote.expectMessageClass(PipeManager.Hello.class, WAIT);
        hello.manager().tell(new PipeManager.Hello(remoteNode, remote.getRef()));
    }

    private static PipeManager.OfferFromRemote awaitOffer(TestProbe<PipeManager.Command> remote) {
        List<PipeManager.Command> seen = remote.fishForMessage(WAIT, m -> m instanceof PipeManager.OfferFromRemote
                ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        return (PipeManager.OfferFromRemote) seen.get(seen.size() - 1);
    }

    private static LocalTransportParams someSocket() throws Exception {
        return new LocalTransportParams("farufrag", "farpasswordfarpassword12",
                DtlsCertificate.generate().fingerprintSha256(), "127.0.0.1", 9);
    }

    /** The room's pipes, all of them: asked again while some pipe's media loop is too busy to answer in time. */
    private List<PipeStats> pipes(ActorRef<PipeManager.Command> manager) {
        TestProbe<PipeManager.PipeList> lists = kit.createTestProbe();
        return lists.awaitAssert(WAIT, () -> {
            manager.tell(new PipeManager.GetPipes(ROOM, lists.getRef()));
            PipeManager.PipeList list = lists.expectMessageClass(PipeManager.PipeList.class, WAIT);
            assertThat(list.unanswered()).isZero();
            return list.pipes();
        });
    }

    @Test
    void aNeedOpensAPipeThatOffersItselfIsRecordedOnceAnsweredAndClosesWhenNothingCrossesIt() throws Exception {
        TestProbe<PipeManager.Command> nodeB = remoteManager();
        ActorRef<PipeManager.Command> manager = kit.spawn(PipeManager.create("node-a", media));
        greet(nodeB, "node-b");

        TrackInfo track = audioFrom("node-b");
        ParticipantId alice = ParticipantId.random();
        TestProbe<Participant.Command> aliceReceiver = kit.createTestProbe();
        manager.tell(new PipeManager.Need(ROOM, track, alice, aliceReceiver.getRef()));

        PipeManager.OfferFromRemote offer = awaitOffer(nodeB);
        assertThat(offer.room()).isEqualTo(ROOM);
        assertThat(offer.offer().fromDid()).isEqualTo("node-a");
        assertThat(offer.offer().toDid()).isEqualTo("node-b");
        assertThat(offer.offer().sdpOffer().sdp()).contains("a=setup:actpass");

        TestProbe<PipeTransport.Command> answerer = kit.createTestProbe();
        offer.offerer().tell(new PipeTransport.Answer(PipeNegotiation.answer("node-b", offer.offer(), someSocket()),
                answerer.getRef()));
        answerer.expectMessage(WAIT, new PipeTransport.Subscribe(List.of(track.trackId().value())));

        assertThat(pipes(manager)).singleElement().satisfies(pipe -> {
            assertThat(pipe.remoteNode()).isEqualTo("node-b");
            assertThat(pipe.role()).isEqualTo("offerer");
            assertThat(pipe.tracks()).containsExactly(
                    new PipeStats.TrackCounters(track.trackId().value(), "in", "node-b", 0, 0));
        });

        manager.tell(new PipeManager.Release(ROOM, track.trackId(), alice));
        answerer.expectMessage(WAIT, new PipeTransport.Unsubscribe(List.of(track.trackId().value())));
        answerer.expectMessage(WAIT, PipeTransport.Close.INSTANCE);
        answerer.expectTerminated(offer.offerer(), WAIT);
        answerer.awaitAssert(WAIT, () -> {
            assertThat(pipes(manager)).isEmpty();
            return null;
        });
    }

    @Test
    void ofTwoCrossedOffersTheOneFromTheSmallerNodeIdWinsAndTheNeedsMoveToItsPipe() throws Exception {
        TestProbe<PipeManager.Command> nodeA = remoteManager();
        ActorRef<PipeManager.Command> manager = kit.spawn(PipeManager.create("node-b", media));
        greet(nodeA, "node-a");

        TrackInfo track = audioFrom("node-a");
        TestProbe<Participant.Command> receiver = kit.createTestProbe();
        manager.tell(new PipeManager.Need(ROOM, track, ParticipantId.random(), receiver.getRef()));
        PipeManager.OfferFromRemote ours = awaitOffer(nodeA);

        TestProbe<PipeTransport.Command> theirPipe = kit.createTestProbe();
        SfuPipeOffer theirs = PipeNegotiation.offer(new PipeKey(ROOM, "node-b"), "node-a", someSocket());
        manager.tell(new PipeManager.OfferFromRemote(theirs, ROOM, theirPipe.getRef()));

        PipeTransport.Answer answer = theirPipe.expectMessageClass(PipeTransport.Answer.class, WAIT);
        assertThat(answer.answer().fromDid()).isEqualTo("node-b");
        assertThat(answer.answer().toDid()).isEqualTo("node-a");
        theirPipe.expectMessage(WAIT, new PipeTransport.Subscribe(List.of(track.trackId().value())));
        theirPipe.expectTerminated(ours.offerer(), WAIT);
    }
}
