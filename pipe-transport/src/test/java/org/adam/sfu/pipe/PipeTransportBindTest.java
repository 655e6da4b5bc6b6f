package org.adam.sfu.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.neighbourhood.SdpMessage;
import org.adam.sfu.room.neighbourhood.SfuPipeOffer;
import org.adam.sfu.webrtc.dtls.DtlsCertificate;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;
import org.adam.sfu.webrtc.sdp.PipeDescription;
import org.adam.sfu.webrtc.transport.MediaServer;
import org.adam.sfu.webrtc.transport.MediaServerConfig;
import org.adam.sfu.webrtc.transport.MediaWorkers;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A pipe binds its socket without blocking its actor, and a bind that fails ends the pipe cleanly. */
class PipeTransportBindTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final RoomKey ROOM = new RoomKey("neighbourhood://test", "pipes");

    private MediaWorkers media;
    private MediaServer worker;

    @BeforeEach
    void start() throws Exception {
        media = MediaWorkers.start(MediaServerConfig.loopback(0), 1);
        worker = media.all().get(0);
    }

    @AfterEach
    void stop() {
        if (media != null) {
            media.close();
        }
    }

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    @Test
    void anOffererOffersOnceItsSocketIsBoundAndAnswersWhatCameMeanwhile() {
        TestProbe<PipeManager.Command> remoteManager = KIT.createTestProbe();
        TestProbe<PipeManager.Command> localManager = KIT.createTestProbe();
        TestProbe<PipeStats> stats = KIT.createTestProbe();
        ActorRef<PipeTransport.Command> pipe = KIT.spawn(PipeOpening.offerer(new PipeKey(ROOM, "node-b"), "node-a",
                worker, remoteManager.getRef(), localManager.getRef()));
        pipe.tell(new PipeTransport.GetStats(stats.getRef())); // most likely before the bind is done

        PipeManager.OfferFromRemote offer = remoteManager.expectMessageClass(PipeManager.OfferFromRemote.class);
        assertThat(offer.offer().sdpOffer().sdp()).contains("a=setup:actpass");
        PipeStats answer = stats.expectMessageClass(PipeStats.class);
        assertThat(answer.role()).isEqualTo("offerer");
        assertThat(answer.connected()).isFalse();
        assertThat(worker.transportCount()).isEqualTo(1);
        pipe.tell(PipeTransport.Close.INSTANCE);
    }

    @Test
    void anAnswererWhoseSocketCannotBeBoundStopsAndTellsTheOfferer() throws Exception {
        SfuPipeOffer offer = new SfuPipeOffer("node-a", "node-b", ROOM.entityId(), new SdpMessage("offer",
                PipeDescription.offer(new LocalTransportParams("ufrag", "passwordpasswordpassword",
                        DtlsCertificate.generate().fingerprintSha256(), "127.0.0.1", 40000), 1)));
        // A worker that has stopped binds nothing: the node is shutting down as the offer comes.
        media.close();
        media = null;
        assertThat(worker.eventLoop().terminationFuture().await(5, TimeUnit.SECONDS)).isTrue();

        TestProbe<PipeTransport.Command> offerer = KIT.createTestProbe();
        TestProbe<PipeManager.Command> localManager = KIT.createTestProbe();
        ActorRef<PipeTransport.Command> pipe = KIT.spawn(PipeOpening.answerer(new PipeKey(ROOM, "node-a"), "node-b",
                worker, offer, offerer.getRef(), localManager.getRef()));

        offerer.expectMessage(Duration.ofSeconds(5), PipeTransport.Close.INSTANCE);
        TestProbe<Object> watcher = KIT.createTestProbe();
        watcher.expectTerminated(pipe, Duration.ofSeconds(5));
    }
}
