package org.adam.sfu.pipe;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.MDC;

/**
 * A WebRTC connection between this node and one other node for one room. A track crosses it
 * only while some participant on the far side receives it, once however many do; only tracks
 * published on this node are ever sent, so nothing goes back to where it came from. Keyframe
 * requests and NACKs travel back over the same connection to the origin. It closes when
 * nothing crosses it any more.
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
    public record TracksReady(Map<String, Long> ssrcByTrack) implements Command, CborSerializable {
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

    private static final class Incoming {
        final TrackInfo track;
        final Map<ParticipantId, ActorRef<Participant.Command>> receivers = new HashMap<>();
        TrackForwarder forwarder;

        Incoming(TrackInfo track) {
            this.track = track;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PipeKey key;
    private final String nodeId;
    private final MediaServer media;
    private final boolean offerer;
    private final WebRtcTransport transport;
    private final Map<String, Incoming> incoming = new LinkedHashMap<>();
    private final Map<String, DownTrack> outgoing = new LinkedHashMap<>();
    private ActorRef<Command> remotePipe;
    private boolean connected;

    static Behavior<Command> offerer(PipeKey key, String nodeId, MediaServer media,
                                     ActorRef<PipeManager.Command> remoteManager,
                                     ActorRef<PipeManager.Command> localManager) {
        return Behaviors.setup(context -> {
            PipeTransport pipe = new PipeTransport(context, key, nodeId, media, true);
            String sdp = PipeDescription.offer(pipe.transport.localParameters(), RANDOM.nextLong() >>> 1);
            remoteManager.tell(new PipeManager.OfferFromRemote(new SfuPipeOffer(nodeId, key.remoteNode(),
                    key.room().entityId(), new SdpMessage("offer", sdp)), key.room(), context.getSelf()));
            pipe.log("offered a pipe to node {}", key.remoteNode());
            return pipe;
        });
    }

    static Behavior<Command> answerer(PipeKey key, String nodeId, MediaServer media, SfuPipeOffer offer,
                                      ActorRef<Command> offererPipe, ActorRef<PipeManager.Command> localManager) {
        return Behaviors.setup(context -> {
            PipeTransport pipe = new PipeTransport(context, key, nodeId, media, false);
            try {
                PipeDescription.Remote remote = PipeDescription.read(offer.sdpOffer().sdp());
                pipe.transport.setRemoteParameters(new RemoteParameters(remote.transport().iceUfrag(),
                        remote.transport().icePwd(), remote.transport().fingerprintSha256(), DtlsRole.SERVER));
            } catch (SdpParseException | SdpNegotiationException e) {
                pipe.log("refused pipe offer from {}: {}", key.remoteNode(), e.getMessage());
                return Behaviors.stopped();
            }
            String sdp = PipeDescription.answer(pipe.transport.localParameters(), RANDOM.nextLong() >>> 1);
            offererPipe.tell(new Answer(new SfuPipeAnswer(nodeId, offer.fromDid(), offer.roomId(),
                    new SdpMessage("answer", sdp)), context.getSelf()));
            pipe.attach(offererPipe);
            pipe.log("answered a pipe from node {}", key.remoteNode());
            return pipe;
        });
    }

    private PipeTransport(ActorContext<Command> context, PipeKey key, String nodeId, MediaServer media,
                          boolean offerer) {
        super(context);
        this.key = key;
        this.nodeId = nodeId;
        this.media = media;
        this.offerer = offerer;
        ActorRef<Command> self = context.getSelf();
        this.transport = media.createPipeTransport("pipe " + key.room() + " " + nodeId + "<->" + key.remoteNode(),
                new TransportListener() {
                    @Override
                    public void onConnected() {
                        self.tell(new Connected());
                    }

                    @Override
                    public void onClosed(String reason) {
                        self.tell(new TransportClosed(reason));
                    }
                });
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
            transport.startConnectivityChecks(remote.candidate());
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
        if (in.forwarder != null) {
            want.receiver().tell(new Participant.RemoteTrackReady(want.track().trackId()));
        } else if (fresh && remotePipe != null) {
            remotePipe.tell(new Subscribe(List.of(id)));
        }
        return this;
    }

    private Behavior<Command> onUnwant(Unwant unwant) {
        Incoming in = incoming.get(unwant.track().value());
        if (in == null || in.receivers.remove(unwant.participant()) == null || !in.receivers.isEmpty()) {
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
        Map<String, Long> ready = new HashMap<>();
        for (String id : subscribe.trackIds()) {
            DownTrack existing = outgoing.get(id);
            if (existing != null) {
                ready.put(id, existing.ssrc() & 0xFFFFFFFFL);
                continue;
            }
            TrackForwarder forwarder = media.router().find(id);
            if (forwarder == null || forwarder.isRelayed()) {
                // Not published here (or relayed from a third node): never send it on, no echo.
                continue;
            }
            // The pipe's own SSRC per track: publishers' SSRCs may collide, or be unknown yet.
            int ssrc = RANDOM.nextInt();
            DownTrack downTrack = new DownTrack(forwarder, transport, ssrc, -1);
            transport.execute(() -> {
                transport.addOutbound(downTrack);
                forwarder.addDownTrack(downTrack);
                forwarder.requestKeyframe(System.nanoTime());
            });
            outgoing.put(id, downTrack);
            ready.put(id, ssrc & 0xFFFFFFFFL);
        }
        if (!ready.isEmpty()) {
            remotePipe.tell(new TracksReady(ready));
            log("sending {} to node {}", ready.keySet(), key.remoteNode());
        }
        return this;
    }

    private Behavior<Command> onUnsubscribe(Unsubscribe unsubscribe) {
        for (String id : unsubscribe.trackIds()) {
            DownTrack downTrack = outgoing.remove(id);
            if (downTrack != null) {
                stopSending(downTrack);
            }
        }
        return closeIfIdle();
    }

    private Behavior<Command> onTracksReady(TracksReady ready) {
        ready.ssrcByTrack().forEach((id, ssrc) -> {
            Incoming in = incoming.get(id);
            if (in == null || in.forwarder != null) {
                return;
            }
            TrackForwarder forwarder = new TrackForwarder(id, in.track.isVideo(), in.track.codec().clockRate(),
                    transport, (int) (long) ssrc);
            in.forwarder = forwarder;
            transport.execute(() -> transport.addInbound(forwarder.sourceSsrc(), forwarder));
            media.router().add(forwarder);
            in.receivers.values().forEach(r -> r.tell(new Participant.RemoteTrackReady(in.track.trackId())));
        });
        return this;
    }

    private Behavior<Command> onConnected(Connected connected) {
        this.connected = true;
        log("pipe to node {} connected", key.remoteNode());
        // Receivers behind the pipe start with a keyframe.
        List<TrackForwarder> sources = new ArrayList<>();
        outgoing.values().forEach(d -> sources.add(d.source()));
        incoming.values().forEach(in -> {
            if (in.forwarder != null) {
                sources.add(in.forwarder);
            }
        });
        transport.execute(() -> sources.forEach(f -> f.requestKeyframe(System.nanoTime())));
        return this;
    }

    private Behavior<Command> onGetStats(GetStats get) {
        List<PipeStats.TrackCounters> counters = new ArrayList<>();
        outgoing.forEach((id, d) -> counters.add(new PipeStats.TrackCounters(id, "out", nodeId, d.packetsSent(),
                d.bytesSent())));
        incoming.forEach((id, in) -> counters.add(new PipeStats.TrackCounters(id, "in", in.track.node(),
                in.forwarder == null ? 0 : in.forwarder.packetsIn(), in.forwarder == null ? 0 : in.forwarder.bytesIn())));
        get.replyTo().tell(new PipeStats(key.room().toString(), nodeId, key.remoteNode(),
                offerer ? "offerer" : "answerer", connected, counters));
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
        incoming.values().forEach(this::dropIncoming);
        outgoing.values().forEach(this::stopSending);
        incoming.clear();
        outgoing.clear();
        transport.close("pipe closed");
        return this;
    }

    private void dropIncoming(Incoming in) {
        TrackForwarder forwarder = in.forwarder;
        if (forwarder != null) {
            media.router().remove(forwarder);
            transport.execute(() -> {
                transport.removeInbound(forwarder.sourceSsrc());
                forwarder.close();
            });
        }
    }

    private void stopSending(DownTrack downTrack) {
        transport.execute(() -> {
            downTrack.source().removeDownTrack(downTrack);
            transport.removeOutbound(downTrack);
        });
    }

    private void log(String format, Object... args) {
        MDC.put("room", key.room().toString());
        try {
            getContext().getLog().info(format, args);
        } finally {
            MDC.remove("room");
        }
    }
}
