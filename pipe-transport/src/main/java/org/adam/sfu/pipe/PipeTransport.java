package org.adam.sfu.pipe;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.adam.sfu.room.CborSerializable;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.room.neighbourhood.SdpMessage;
import org.adam.sfu.room.neighbourhood.SfuPipeAnswer;
import org.adam.sfu.room.neighbourhood.SfuPipeOffer;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.adam.sfu.webrtc.sdp.PipeDescription;
import org.adam.sfu.webrtc.sdp.SdpNegotiationException;
import org.adam.sfu.webrtc.sdp.SdpParseException;
import org.adam.sfu.webrtc.transport.MediaServer;
import org.adam.sfu.webrtc.transport.RemoteParameters;
import org.adam.sfu.webrtc.transport.TransportListener;
import org.adam.sfu.webrtc.transport.WebRtcTransport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.MDC;

/**
 * A WebRTC connection between this node and one other node for one room. A track crosses it
 * only while some participant on the far side receives it, once however many do; only tracks
 * published on this node are ever sent, so nothing goes back to where it came from. Keyframe
 * requests and NACKs travel back over the same connection to the origin. It closes when
 * nothing crosses it any more.
 *
 * <p>It starts by binding the pipe's own UDP socket, without waiting for it: commands that come
 * meanwhile are stashed, and the offer or answer goes out once the socket is bound. A bind that
 * fails stops the pipe (and tells the offering pipe, if it answered one).
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

    /** The SSRC each requested track is sent with over the pipe. */
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

    private record Connected() implements Command {
    }

    private record TransportClosed(String reason) implements Command {
    }

    private record PeerGone() implements Command {
    }

    /** The pipe's socket is bound: its transport. */
    private record Bound(WebRtcTransport transport) implements Command {
    }

    private record BindFailed(Throwable cause) implements Command {
    }

    private static final class Incoming {
        final TrackInfo track;
        final Map<ParticipantId, ActorRef<Participant.Command>> receivers = new HashMap<>();
        final Map<ParticipantId, Integer> demand = new HashMap<>();
        /** One per layer the far node sends, lowest first; null until it says it sends. */
        List<TrackForwarder> layers;
        int wanted = -1;

        Incoming(TrackInfo track) {
            this.track = track;
        }

        /** The layers some receiver here needs; the top layer until any receiver has said. */
        int neededLayers() {
            int needed = 0;
            for (int mask : demand.values()) {
                needed |= mask;
            }
            return needed != 0 ? needed : 1 << Math.max(0, track.layers().size() - 1);
        }

    }

    /**
     * A track this node sends through the pipe: one DownTrack per layer, each on its own SSRC,
     * attached to its layer's forwarder only while the far node needs that layer.
     */
    private static final class Outgoing {
        final List<DownTrack> layers;
        int attached;

        Outgoing(List<DownTrack> layers) {
            this.layers = layers;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Commands kept while the socket binds (a few milliseconds): the local needs, mostly. */
    private static final int STASH_CAPACITY = 1000;

    private final PipeKey key;
    private final String nodeId;
    private final MediaServer media;
    private final boolean offerer;
    private final WebRtcTransport transport;
    private final Map<String, Incoming> incoming = new LinkedHashMap<>();
    private final Map<String, Outgoing> outgoing = new LinkedHashMap<>();
    private ActorRef<Command> remotePipe;
    private boolean connected;

    static Behavior<Command> offerer(PipeKey key, String nodeId, MediaServer media,
                                     ActorRef<PipeManager.Command> remoteManager,
                                     ActorRef<PipeManager.Command> localManager) {
        return Behaviors.setup(context -> binding(context, key, nodeId, media, true, pipe -> {
            String sdp = PipeDescription.offer(pipe.transport.localParameters(), RANDOM.nextLong() >>> 1);
            remoteManager.tell(new PipeManager.OfferFromRemote(new SfuPipeOffer(nodeId, key.remoteNode(),
                    key.room().entityId(), new SdpMessage("offer", sdp)), key.room(), context.getSelf()));
            pipe.log("offered a pipe to node {}", key.remoteNode());
            return pipe;
        }, () -> { }));
    }

    static Behavior<Command> answerer(PipeKey key, String nodeId, MediaServer media, SfuPipeOffer offer,
                                      ActorRef<Command> offererPipe, ActorRef<PipeManager.Command> localManager) {
        return Behaviors.setup(context -> {
            PipeDescription.Remote remote;
            try {
                remote = PipeDescription.read(offer.sdpOffer().sdp());
            } catch (SdpParseException | SdpNegotiationException e) {
                log(context, key, "refused pipe offer from {}: {}", key.remoteNode(), e.getMessage());
                return Behaviors.stopped();
            }
            return binding(context, key, nodeId, media, false, pipe -> {
                pipe.transport.setRemoteParameters(new RemoteParameters(remote.transport().iceUfrag(),
                        remote.transport().icePwd(), remote.transport().fingerprintSha256(), DtlsRole.SERVER));
                // Behind NAT, the offerer's checks get in only once ours have gone out to it.
                pipe.transport.startConnectivityChecks(remote.candidates(), IceConnectivityChecker.Role.CONTROLLED);
                String sdp = PipeDescription.answer(pipe.transport.localParameters(), RANDOM.nextLong() >>> 1);
                offererPipe.tell(new Answer(new SfuPipeAnswer(nodeId, offer.fromDid(), offer.roomId(),
                        new SdpMessage("answer", sdp)), context.getSelf()));
                pipe.attach(offererPipe);
                pipe.log("answered a pipe from node {}", key.remoteNode());
                return pipe;
            }, () -> offererPipe.tell(Close.INSTANCE));
        });
    }

    /**
     * Binds the pipe's socket without waiting, stashing commands until it is bound; then
     * {@code start} makes the pipe. If the bind fails, {@code refuse} runs and the pipe stops.
     */
    private static Behavior<Command> binding(ActorContext<Command> context, PipeKey key, String nodeId,
                                             MediaServer media, boolean offerer,
                                             Function<PipeTransport, Behavior<Command>> start, Runnable refuse) {
        ActorRef<Command> self = context.getSelf();
        CompletableFuture<WebRtcTransport> created = media.createPipeTransport(
                "pipe " + key.room() + " " + nodeId + "<->" + key.remoteNode(), new TransportListener() {
                    @Override
                    public void onConnected() {
                        self.tell(new Connected());
                    }

                    @Override
                    public void onClosed(String reason) {
                        self.tell(new TransportClosed(reason));
                    }
                });
        context.pipeToSelf(created, (transport, failure) -> failure == null
                ? new Bound(transport) : new BindFailed(failure));
        return Behaviors.withStash(STASH_CAPACITY, stash -> BehaviorBuilder.<Command>create()
                .onMessage(Bound.class, bound -> stash.unstashAll(
                        start.apply(new PipeTransport(context, key, nodeId, media, offerer, bound.transport()))))
                .onMessage(BindFailed.class, failed -> {
                    log(context, key, "pipe to node {} not started: its socket could not be bound: {}",
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

    private static Behavior<Command> keep(ActorContext<Command> context, PipeKey key, StashBuffer<Command> stash,
                                          Command command) {
        if (stash.isFull()) {
            log(context, key, "pipe to node {} dropped {} while its socket binds: {} commands wait already",
                    key.remoteNode(), command.getClass().getSimpleName(), STASH_CAPACITY);
        } else {
            stash.stash(command);
        }
        return Behaviors.same();
    }

    private PipeTransport(ActorContext<Command> context, PipeKey key, String nodeId, MediaServer media,
                          boolean offerer, WebRtcTransport transport) {
        super(context);
        this.key = key;
        this.nodeId = nodeId;
        this.media = media;
        this.offerer = offerer;
        this.transport = transport;
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

    private void attach(ActorRef<Command> peer) {
        remotePipe = peer;
        getContext().watchWith(peer, new PeerGone());
    }

    private Behavior<Command> onAnswer(Answer answer) {
        try {
            PipeDescription.Remote remote = PipeDescription.read(answer.answer().sdpAnswer().sdp());
            transport.setRemoteParameters(new RemoteParameters(remote.transport().iceUfrag(),
                    remote.transport().icePwd(), remote.transport().fingerprintSha256(), DtlsRole.CLIENT));
            transport.startConnectivityChecks(remote.candidates(), IceConnectivityChecker.Role.CONTROLLING);
        } catch (SdpParseException | SdpNegotiationException e) {
            return stop("unusable pipe answer: " + e.getMessage());
        }
        attach(answer.answerer());
        if (!incoming.isEmpty()) {
            remotePipe.tell(new Subscribe(List.copyOf(incoming.keySet())));
        }
        return this;
    }

    private Behavior<Command> onWant(Want want) {
        String id = want.track().trackId().value();
        Incoming in = incoming.get(id);
        boolean fresh = in == null;
        if (fresh) {
            in = new Incoming(want.track());
            incoming.put(id, in);
        }
        in.receivers.put(want.participant(), want.receiver());
        if (in.layers != null) {
            want.receiver().tell(new Participant.RemoteTrackReady(want.track().trackId()));
        } else if (fresh && remotePipe != null) {
            remotePipe.tell(new Subscribe(List.of(id)));
        }
        return this;
    }

    private Behavior<Command> onUnwant(Unwant unwant) {
        Incoming in = incoming.get(unwant.track().value());
        if (in == null || in.receivers.remove(unwant.participant()) == null) {
            return this;
        }
        in.demand.remove(unwant.participant());
        if (!in.receivers.isEmpty()) {
            sendWantedLayers(unwant.track().value(), in);
            return this;
        }
        incoming.remove(unwant.track().value());
        dropIncoming(in);
        if (remotePipe != null) {
            remotePipe.tell(new Unsubscribe(List.of(unwant.track().value())));
        }
        return closeIfIdle();
    }

    private Behavior<Command> onSubscribe(Subscribe subscribe) {
        Map<String, List<Long>> ready = new HashMap<>();
        for (String id : subscribe.trackIds()) {
            Outgoing existing = outgoing.get(id);
            if (existing != null) {
                ready.put(id, ssrcs(existing));
                continue;
            }
            List<TrackForwarder> layers = media.router().layers(id);
            if (layers.isEmpty() || layers.get(0).isRelayed()) {
                // Not published here (or relayed from a third node): never send it on, no echo.
                continue;
            }
            // The pipe's own SSRC per layer: publishers' SSRCs may collide, or be unknown yet.
            List<DownTrack> downTracks = new ArrayList<>();
            for (TrackForwarder layer : layers) {
                downTracks.add(new DownTrack(layer, transport, RANDOM.nextInt(), -1));
            }
            Outgoing out = new Outgoing(downTracks);
            transport.execute(() -> downTracks.forEach(transport::addOutbound));
            outgoing.put(id, out);
            // Until the far node says which layers it needs, it gets the top one.
            attachLayers(out, 1 << (layers.size() - 1));
            ready.put(id, ssrcs(out));
        }
        if (!ready.isEmpty()) {
            remotePipe.tell(new TracksReady(ready));
            log("sending {} to node {}", ready.keySet(), key.remoteNode());
        }
        return this;
    }

    private static List<Long> ssrcs(Outgoing out) {
        return out.layers.stream().map(d -> d.ssrc() & 0xFFFFFFFFL).toList();
    }

    /** Forwards exactly the layers in {@code mask} of an outgoing track (newly attached ones from a keyframe). */
    private void attachLayers(Outgoing out, int mask) {
        int before = out.attached;
        out.attached = mask;
        List<DownTrack> layers = out.layers;
        transport.execute(() -> {
            for (int i = 0; i < layers.size(); i++) {
                DownTrack downTrack = layers.get(i);
                boolean was = (before & (1 << i)) != 0;
                boolean now = (mask & (1 << i)) != 0;
                if (now && !was) {
                    // It waits for the layer's keyframe and asks the publisher for it itself.
                    downTrack.awaitKeyframe();
                    downTrack.source().addDownTrack(downTrack);
                } else if (was && !now) {
                    downTrack.source().removeDownTrack(downTrack);
                }
            }
        });
    }

    private Behavior<Command> onLayersWanted(LayersWanted wanted) {
        Outgoing out = outgoing.get(wanted.trackId());
        if (out != null && wanted.layers() != out.attached) {
            attachLayers(out, wanted.layers());
        }
        return this;
    }

    private Behavior<Command> onLayerDemand(LayerDemand demand) {
        Incoming in = incoming.get(demand.track().value());
        if (in == null || !in.receivers.containsKey(demand.participant())) {
            return this;
        }
        if (demand.layers() == 0) {
            in.demand.remove(demand.participant());
        } else {
            in.demand.put(demand.participant(), demand.layers());
        }
        sendWantedLayers(demand.track().value(), in);
        return this;
    }

    /** Tells the far pipe which layers of a track receivers here need, when that changed. */
    private void sendWantedLayers(String trackId, Incoming in) {
        int needed = in.neededLayers();
        if (remotePipe != null && in.layers != null && needed != in.wanted) {
            in.wanted = needed;
            remotePipe.tell(new LayersWanted(trackId, needed));
        }
    }

    private Behavior<Command> onUnsubscribe(Unsubscribe unsubscribe) {
        for (String id : unsubscribe.trackIds()) {
            Outgoing out = outgoing.remove(id);
            if (out != null) {
                stopSending(out);
            }
        }
        return closeIfIdle();
    }

    private Behavior<Command> onTracksReady(TracksReady ready) {
        ready.ssrcsByTrack().forEach((id, ssrcs) -> {
            Incoming in = incoming.get(id);
            if (in == null || in.layers != null || ssrcs.isEmpty()) {
                return;
            }
            List<TrackForwarder> layers = new ArrayList<>();
            for (Long ssrc : ssrcs) {
                TrackForwarder layer = new TrackForwarder(id, in.track.isVideo(),
                        VideoCodec.fromName(in.track.codec().name()), in.track.codec().clockRate(), transport,
                        (int) (long) ssrc);
                layers.add(layer);
                transport.execute(() -> transport.addInbound(layer.sourceSsrc(), layer));
            }
            in.layers = layers;
            if (layers.size() > 1) {
                media.router().addLayers(id, layers);
            } else {
                media.router().add(layers.get(0));
            }
            int audioLevel = in.track.audioLevelExtension();
            if (!in.track.isVideo() && audioLevel > 0) {
                // Piped packets keep the publisher's extensions: this node hears who speaks too.
                TrackForwarder forwarder = layers.get(0);
                media.speakers().register(key.room().toString(), in.track.participantId().value(),
                        sink -> forwarder.setAudioLevels(audioLevel, sink));
            }
            sendWantedLayers(id, in);
            in.receivers.values().forEach(r -> r.tell(new Participant.RemoteTrackReady(in.track.trackId())));
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

    /**
     * The packet counters are the media loop's (its down tracks and forwarders write them): this
     * actor names what to count, and the loop reads the counters and answers.
     */
    private Behavior<Command> onGetStats(GetStats get) {
        List<Supplier<PipeStats.TrackCounters>> reads = new ArrayList<>();
        outgoing.forEach((id, out) -> {
            List<DownTrack> layers = out.layers;
            reads.add(() -> new PipeStats.TrackCounters(id, "out", nodeId, sum(layers, DownTrack::packetsSent),
                    sum(layers, DownTrack::bytesSent)));
        });
        incoming.forEach((id, in) -> {
            List<TrackForwarder> layers = in.layers == null ? List.of() : in.layers;
            String origin = in.track.node();
            reads.add(() -> new PipeStats.TrackCounters(id, "in", origin, sum(layers, TrackForwarder::packetsIn),
                    sum(layers, TrackForwarder::bytesIn)));
        });
        String room = key.room().toString();
        String role = offerer ? "offerer" : "answerer";
        boolean up = connected;
        ActorRef<PipeStats> replyTo = get.replyTo();
        transport.execute(() -> {
            List<PipeStats.TrackCounters> counters = new ArrayList<>(reads.size());
            reads.forEach(read -> counters.add(read.get()));
            replyTo.tell(new PipeStats(room, nodeId, key.remoteNode(), role, up, counters));
        });
        return this;
    }

    private static <T> long sum(List<T> layers, ToLongFunction<T> counter) {
        long total = 0;
        for (T layer : layers) {
            total += counter.applyAsLong(layer);
        }
        return total;
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
        incoming.values().forEach(this::dropIncoming);
        outgoing.values().forEach(this::stopSending);
        incoming.clear();
        outgoing.clear();
        transport.close("pipe closed");
        return this;
    }

    private void dropIncoming(Incoming in) {
        List<TrackForwarder> layers = in.layers;
        if (layers != null) {
            media.router().remove(layers.get(layers.size() - 1));
            transport.execute(() -> layers.forEach(layer -> {
                transport.removeInbound(layer.sourceSsrc());
                layer.close();
            }));
        }
    }

    private void stopSending(Outgoing out) {
        List<DownTrack> layers = out.layers;
        transport.execute(() -> layers.forEach(downTrack -> {
            downTrack.source().removeDownTrack(downTrack);
            transport.removeOutbound(downTrack);
        }));
    }

    private void log(String format, Object... args) {
        log(getContext(), key, format, args);
    }

    private static void log(ActorContext<Command> context, PipeKey key, String format, Object... args) {
        MDC.put("room", key.room().toString());
        try {
            context.getLog().info(format, args);
        } finally {
            MDC.remove("room");
        }
    }
}
