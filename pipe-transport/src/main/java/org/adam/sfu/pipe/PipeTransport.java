package org.adam.sfu.pipe;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.adam.sfu.room.CborSerializable;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.room.neighbourhood.SfuPipeAnswer;
import org.adam.sfu.webrtc.sdp.SdpNegotiationException;
import org.adam.sfu.webrtc.sdp.SdpParseException;
import org.adam.sfu.webrtc.transport.MediaServer;
import org.adam.sfu.webrtc.transport.WebRtcTransport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A WebRTC connection between this node and one other node for one room. A track crosses it
 * only while some participant on the far side receives it, once however many do; only tracks
 * published on this node are ever sent, so nothing goes back to where it came from. Keyframe
 * requests and NACKs travel back over the same connection to the origin. It closes when
 * nothing crosses it any more.
 *
 * <p>{@link PipeOpening} binds the pipe's own UDP socket without waiting (commands that come
 * meanwhile are stashed), then sends the offer or answer; a bind that fails stops the pipe (and
 * tells the offering pipe, if it answered one). This actor owns the pipe's track tables
 * ({@link IncomingPipeTracks}, {@link OutgoingPipeTracks}) and decides what crosses;
 * {@link PipeForwarding} wires the tracks into the media loop, {@link PipeStatsReader} reads the
 * counters there. Only the actor's thread touches its state.
 */
public final class PipeTransport extends AbstractBehavior<PipeTransport.Command> {

    public sealed interface Command {
    }

    /** A local participant receives {@code track}, published on the remote node. */
    public record Want(TrackInfo track, ParticipantId participant, ActorRef<Participant.Command> receiver)
            implements Command {
    }

    public record Unwant(TrackId track, ParticipantId participant) implements Command {
    }

    /** The answering node's `sfu-pipe-answer`, from its pipe actor. */
    public record Answer(SfuPipeAnswer answer, ActorRef<Command> answerer) implements Command, CborSerializable {
    }

    /** The remote node's participants receive these tracks of ours: start sending them. */
    public record Subscribe(List<String> trackIds) implements Command, CborSerializable {
    }

    public record Unsubscribe(List<String> trackIds) implements Command, CborSerializable {
    }

    /** Local: the layers of a track one receiver on this node needs (a bit per layer). */
    public record LayerDemand(TrackId track, ParticipantId participant, int layers) implements Command {
    }

    /** Pipe to pipe: send the layers in {@code layers} (a bit per layer, lowest first) of a track. */
    public record LayersWanted(String trackId, int layers) implements Command, CborSerializable {
    }

    /** Pipe to pipe: the SSRCs the tracks come on, one per layer, lowest first. */
    public record TracksReady(Map<String, List<Long>> ssrcsByTrack) implements Command, CborSerializable {
    }

    public enum Close implements Command, CborSerializable { INSTANCE }

    public record GetStats(ActorRef<PipeStats> replyTo) implements Command, CborSerializable {
    }

    record Connected() implements Command {
    }

    record TransportClosed(String reason) implements Command {
    }

    private record PeerGone() implements Command {
    }

    /** The pipe's socket is bound: its transport. */
    record Bound(WebRtcTransport transport) implements Command {
    }

    record BindFailed(Throwable cause) implements Command {
    }

    private final PipeKey key;
    private final String nodeId;
    private final boolean offerer;
    private final WebRtcTransport transport;
    private final PipeForwarding forwarding;
    private final IncomingPipeTracks incoming = new IncomingPipeTracks();
    private final OutgoingPipeTracks outgoing = new OutgoingPipeTracks();
    private ActorRef<Command> remotePipe;
    private boolean connected;

    PipeTransport(ActorContext<Command> context, PipeKey key, String nodeId, MediaServer media,
                  boolean offerer, WebRtcTransport transport) {
        super(context);
        this.key = key;
        this.nodeId = nodeId;
        this.offerer = offerer;
        this.transport = transport;
        this.forwarding = new PipeForwarding(key, media, transport);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Want.class, this::onWant)
                .onMessage(Unwant.class, this::onUnwant)
                .onMessage(Answer.class, this::onAnswer)
                .onMessage(Subscribe.class, this::onSubscribe)
                .onMessage(Unsubscribe.class, this::onUnsubscribe)
                .onMessage(TracksReady.class, this::onTracksReady)
                .onMessage(LayerDemand.class, this::onLayerDemand)
                .onMessage(LayersWanted.class, this::onLayersWanted)
                .onMessage(Connected.class, this::onConnected)
                .onMessage(GetStats.class, this::onGetStats)
                .onMessageEquals(Close.INSTANCE, () -> stop("closed by node " + key.remoteNode()))
                .onMessage(TransportClosed.class, closed -> stop("transport closed: " + closed.reason()))
                .onMessage(PeerGone.class, gone -> stop("node " + key.remoteNode() + " is gone"))
                .onSignal(PostStop.class, signal -> onPostStop())
                .build();
    }

    WebRtcTransport transport() {
        return transport;
    }

    /** The far node's pipe: this one talks to it and stops when it is gone. */
    void attach(ActorRef<Command> peer) {
        remotePipe = peer;
        getContext().watchWith(peer, new PeerGone());
    }

    private Behavior<Command> onAnswer(Answer answer) {
        try {
            PipeNegotiation.connect(transport, PipeNegotiation.read(answer.answer().sdpAnswer()), true);
        } catch (SdpParseException | SdpNegotiationException e) {
            return stop("unusable pipe answer: " + e.getMessage());
        }
        attach(answer.answerer());
        if (!incoming.isEmpty()) {
            remotePipe.tell(new Subscribe(incoming.ids()));
        }
        return this;
    }

    private Behavior<Command> onWant(Want want) {
        String id = want.track().trackId().value();
        boolean fresh = incoming.want(want.track(), want.participant(), want.receiver());
        if (incoming.get(id).arrived()) {
            want.receiver().tell(new Participant.RemoteTrackReady(want.track().trackId()));
        } else if (fresh && remotePipe != null) {
            remotePipe.tell(new Subscribe(List.of(id)));
        }
        return this;
    }

    private Behavior<Command> onUnwant(Unwant unwant) {
        String id = unwant.track().value();
        IncomingPipeTracks.Track in = incoming.get(id);
        if (in == null || !in.removeReceiver(unwant.participant())) {
            return this;
        }
        if (in.hasReceivers()) {
            sendWantedLayers(id, in);
            return this;
        }
        incoming.remove(id);
        forwarding.stopReceiving(in);
        if (remotePipe != null) {
            remotePipe.tell(new Unsubscribe(List.of(id)));
        }
        return closeIfIdle();
    }

    private Behavior<Command> onSubscribe(Subscribe subscribe) {
        Map<String, List<Long>> ready = new HashMap<>();
        for (String id : subscribe.trackIds()) {
            OutgoingPipeTracks.Track out = outgoing.get(id);
            if (out == null) {
                out = forwarding.startSending(id);
                if (out == null) {
                    continue;
                }
                outgoing.put(id, out);
            }
            ready.put(id, out.ssrcs());
        }
        if (!ready.isEmpty()) {
            remotePipe.tell(new TracksReady(ready));
            log("sending {} to node {}", ready.keySet(), key.remoteNode());
        }
        return this;
    }

    private Behavior<Command> onLayersWanted(LayersWanted wanted) {
        OutgoingPipeTracks.Track out = outgoing.get(wanted.trackId());
        if (out != null && wanted.layers() != out.attached()) {
            forwarding.attachLayers(out, wanted.layers());
        }
        return this;
    }

    private Behavior<Command> onLayerDemand(LayerDemand demand) {
        IncomingPipeTracks.Track in = incoming.get(demand.track().value());
        if (in != null && in.demand(demand.participant(), demand.layers())) {
            sendWantedLayers(demand.track().value(), in);
        }
        return this;
    }

    /** Tells the far pipe which layers of a track receivers here need, when that changed. */
    private void sendWantedLayers(String trackId, IncomingPipeTracks.Track in) {
        int needed = remotePipe == null ? -1 : in.takeChangedNeed();
        if (needed >= 0) {
            remotePipe.tell(new LayersWanted(trackId, needed));
        }
    }

    private Behavior<Command> onUnsubscribe(Unsubscribe unsubscribe) {
        for (String id : unsubscribe.trackIds()) {
            OutgoingPipeTracks.Track out = outgoing.remove(id);
            if (out != null) {
                forwarding.stopSending(out);
            }
        }
        return closeIfIdle();
    }

    private Behavior<Command> onTracksReady(TracksReady ready) {
        ready.ssrcsByTrack().forEach((id, ssrcs) -> {
            IncomingPipeTracks.Track in = incoming.get(id);
            if (in == null || in.arrived() || ssrcs.isEmpty()) {
                return;
            }
            in.arrive(forwarding.startReceiving(in.info(), ssrcs));
            sendWantedLayers(id, in);
            in.notifyReady();
        });
        return this;
    }

    private Behavior<Command> onConnected(Connected connected) {
        this.connected = true;
        log("pipe to node {} connected", key.remoteNode());
        // Nothing to ask for here: what crosses the pipe starts on a keyframe (each outgoing down
        // track waits for one and asks its publisher once the pipe can carry it), and receivers
        // behind the pipe ask for theirs through it.
        return this;
    }

    private Behavior<Command> onGetStats(GetStats get) {
        String room = key.room().toString();
        String role = offerer ? "offerer" : "answerer";
        boolean up = connected;
        PipeStatsReader.answer(transport::execute, PipeStatsReader.reads(nodeId, outgoing, incoming),
                counters -> new PipeStats(room, nodeId, key.remoteNode(), role, up, counters), get.replyTo()::tell);
        return this;
    }

    private Behavior<Command> closeIfIdle() {
        if (incoming.isEmpty() && outgoing.isEmpty()) {
            if (remotePipe != null) {
                remotePipe.tell(Close.INSTANCE);
            }
            return stop("nothing crosses it any more");
        }
        return this;
    }

    private Behavior<Command> stop(String reason) {
        log("pipe to node {} closing: {}", key.remoteNode(), reason);
        return Behaviors.stopped();
    }

    private Behavior<Command> onPostStop() {
        incoming.all().forEach(forwarding::stopReceiving);
        outgoing.all().forEach(forwarding::stopSending);
        incoming.clear();
        outgoing.clear();
        transport.close("pipe closed");
        return this;
    }

    void log(String format, Object... args) {
        PipeLog.info(getContext(), key, format, args);
    }
}
