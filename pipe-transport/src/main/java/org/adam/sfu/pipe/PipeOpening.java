package org.adam.sfu.pipe;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.adam.sfu.room.neighbourhood.SfuPipeAnswer;
import org.adam.sfu.room.neighbourhood.SfuPipeOffer;
import org.adam.sfu.webrtc.sdp.PipeDescription;
import org.adam.sfu.webrtc.sdp.SdpNegotiationException;
import org.adam.sfu.webrtc.sdp.SdpParseException;
import org.adam.sfu.webrtc.transport.MediaServer;
import org.adam.sfu.webrtc.transport.TransportListener;
import org.adam.sfu.webrtc.transport.WebRtcTransport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;

/**
 * How a pipe opens: it binds the pipe's own UDP socket without waiting for it, keeping the
 * commands that come meanwhile, then makes the {@link PipeTransport} and sends its offer or
 * answer ({@link PipeNegotiation}). A bind that fails stops the pipe. Runs on the pipe actor's
 * thread; the bind completes on the media loop and comes back as a message.
 */
final class PipeOpening {

    /** Commands kept while the socket binds (a few milliseconds): the local needs, mostly. */
    static final int STASH_CAPACITY = 1000;

    private PipeOpening() {
    }

    /** A pipe that offers itself to {@code remoteManager}'s node once its socket is bound. */
    static Behavior<PipeTransport.Command> offerer(PipeKey key, String nodeId, MediaServer media,
                                                   ActorRef<PipeManager.Command> remoteManager,
                                                   ActorRef<PipeManager.Command> localManager) {
        return Behaviors.setup(context -> binding(context, key, nodeId, media, true, pipe -> {
            SfuPipeOffer offer = PipeNegotiation.offer(key, nodeId, pipe.transport().localParameters());
            remoteManager.tell(new PipeManager.OfferFromRemote(offer, key.room(), context.getSelf()));
            pipe.log("offered a pipe to node {}", key.remoteNode());
            return pipe;
        }, () -> { }));
    }

    /**
     * A pipe that answers {@code offer} once its socket is bound; it stops at once if the offer
     * cannot be read.
     */
    static Behavior<PipeTransport.Command> answerer(PipeKey key, String nodeId, MediaServer media, SfuPipeOffer offer,
                                                    ActorRef<PipeTransport.Command> offererPipe,
                                                    ActorRef<PipeManager.Command> localManager) {
        return Behaviors.setup(context -> {
            PipeDescription.Remote remote;
            try {
                remote = PipeNegotiation.read(offer.sdpOffer());
            } catch (SdpParseException | SdpNegotiationException e) {
                PipeLog.info(context, key, "refused pipe offer from {}: {}", key.remoteNode(), e.getMessage());
                return Behaviors.stopped();
            }
            return binding(context, key, nodeId, media, false, pipe -> {
                // Behind NAT, the offerer's checks get in only once ours have gone out to it.
                PipeNegotiation.connect(pipe.transport(), remote, false);
                SfuPipeAnswer answer = PipeNegotiation.answer(nodeId, offer, pipe.transport().localParameters());
                offererPipe.tell(new PipeTransport.Answer(answer, context.getSelf()));
                pipe.attach(offererPipe);
                pipe.log("answered a pipe from node {}", key.remoteNode());
                return pipe;
            }, () -> offererPipe.tell(PipeTransport.Close.INSTANCE));
        });
    }

    /**
     * Binds the pipe's socket without waiting, stashing commands until it is bound; then
     * {@code start} makes the pipe. If the bind fails, {@code refuse} runs and the pipe stops.
     */
    private static Behavior<PipeTransport.Command> binding(ActorContext<PipeTransport.Command> context, PipeKey key,
                                                   String nodeId, MediaServer media, boolean offerer,
                                                   Function<PipeTransport, Behavior<PipeTransport.Command>> start,
                                                   Runnable refuse) {
        ActorRef<PipeTransport.Command> self = context.getSelf();
        CompletableFuture<WebRtcTransport> created = media.createPipeTransport(
                "pipe " + key.room() + " " + nodeId + "<->" + key.remoteNode(), new TransportListener() {
                    @Override
                    public void onConnected() {
                        self.tell(new PipeTransport.Connected());
                    }

                    @Override
                    public void onClosed(String reason) {
                        self.tell(new PipeTransport.TransportClosed(reason));
                    }
                });
        context.pipeToSelf(created, (transport, failure) -> failure == null
                ? new PipeTransport.Bound(transport) : new PipeTransport.BindFailed(failure));
        return Behaviors.withStash(STASH_CAPACITY, stash -> BehaviorBuilder.<PipeTransport.Command>create()
                .onMessage(PipeTransport.Bound.class, bound -> stash.unstashAll(
                        start.apply(new PipeTransport(context, key, nodeId, media, offerer, bound.transport()))))
                .onMessage(PipeTransport.BindFailed.class, failed -> {
                    PipeLog.info(context, key, "pipe to node {} not started: its socket could not be bound: {}",
                            key.remoteNode(), failed.cause().toString());
                    refuse.run();
                    return Behaviors.stopped();
                })
                .onSignal(PostStop.class, stopped -> {
                    // Stopped before the bind finished: the socket, once bound, is closed at once.
                    created.thenAccept(transport -> transport.close("pipe stopped before its socket was bound"));
                    return Behaviors.same();
                })
                .onAnyMessage(command -> keep(context, key, stash, command))
                .build());
    }

    private static Behavior<PipeTransport.Command> keep(ActorContext<PipeTransport.Command> context, PipeKey key,
                                                        StashBuffer<PipeTransport.Command> stash,
                                                        PipeTransport.Command command) {
        if (stash.isFull()) {
            PipeLog.info(context, key, "pipe to node {} dropped {} while its socket binds: {} commands wait already",
                    key.remoteNode(), command.getClass().getSimpleName(), STASH_CAPACITY);
        } else {
            stash.stash(command);
        }
        return Behaviors.same();
    }
}
