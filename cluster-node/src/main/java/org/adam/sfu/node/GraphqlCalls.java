package org.adam.sfu.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.adam.sfu.room.ClientEvent;
import org.adam.sfu.room.ClientLink;
import org.adam.sfu.room.LeaveReason;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.signal.ProtocolCodec;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.StreamSubscriptionTimeoutTerminationMode;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.reactivestreams.Publisher;

/**
 * Calls made through GraphQL alone: a participant whose way back to its client is a GraphQL
 * subscription (`callSignals`) instead of a /signal socket. `callJoin` admits it exactly as a
 * /signal join would and, given the client's publish offer, returns the node's answer; the node's
 * subscribe offers arrive on `callSignals` as the protocol's JSON frames, and `callAnswer` takes
 * the client's answers. Sessions are named by their participant id, which everyone in the room
 * sees; what proves a request comes from the session's client is the secret `callJoin` returned
 * to it alone.
 */
final class GraphqlCalls {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How long a session's signals wait for their callSignals subscription. */
    static final Duration SUBSCRIBE_WITHIN = Duration.ofSeconds(60);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** One GraphQL call: the participant, and what its link has seen. */
    static final class Session implements ClientLink {
        final RoomKey room;
        final String did;
        /** base64url of 256 random bits: handed to the joining client only, in callJoin's result. */
        final String secret;
        private final byte[] secretBytes;
        private final ProtocolCodec codec;
        private final SourceQueueWithComplete<Map<String, Object>> queue;
        private final Publisher<Map<String, Object>> signals;
        final CompletableFuture<ClientEvent.Joined> joined = new CompletableFuture<>();
        final CompletableFuture<ClientEvent> publishAnswer = new CompletableFuture<>();
        /** Completes when the participant has ended: what its client was allowed to watch ends with it. */
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        volatile ActorRef<Participant.Command> participant;
        volatile ParticipantId participantId;
        private final Map<ParticipantId, Session> registry;

        Session(RoomKey room, String did, String secret, ProtocolCodec codec, ActorSystem<?> system,
                Map<ParticipantId, Session> registry) {
            this.room = room;
            this.did = did;
            this.secret = secret;
            this.secretBytes = secret.getBytes(StandardCharsets.UTF_8);
            this.codec = codec;
            this.registry = registry;
            // Events wait here (up to 256) until the client subscribes to callSignals, which it
            // may do up to SUBSCRIBE_WITHIN after the join began (Pekko's default would cancel an
            // unsubscribed publisher after 5 s, before a slow join has even answered).
            Pair<SourceQueueWithComplete<Map<String, Object>>, Publisher<Map<String, Object>>> stream =
                    Source.<Map<String, Object>>queue(256, OverflowStrategy.dropHead())
                            .toMat(Sink.asPublisher(AsPublisher.WITHOUT_FANOUT), Keep.both())
                            .withAttributes(ActorAttributes.streamSubscriptionTimeout(SUBSCRIBE_WITHIN,
                                    StreamSubscriptionTimeoutTerminationMode.cancel()))
                            .run(system);
            this.queue = stream.first();
            this.signals = stream.second();
        }

        @Override
        public void send(ClientEvent event) {
            if (event instanceof ClientEvent.Joined j) {
                joined.complete(j);
            } else if (event instanceof ClientEvent.Answer answer && "publish".equals(answer.pc())) {
                publishAnswer.complete(answer);
                return;
            } else if (event instanceof ClientEvent.Error error && "gql-offer".equals(error.requestId())) {
                publishAnswer.complete(error);
                return;
            } else if (event instanceof ClientEvent.Error error && !joined.isDone()) {
                joined.completeExceptionally(new IllegalStateException(error.code() + ": " + error.message()));
            }
            String text = codec.encode(event);
            String type;
            try {
                type = JSON.readTree(text).path("type").asText();
            } catch (java.io.IOException e) {
                type = "unknown";
            }
            queue.offer(Map.of("type", type, "message", text));
        }

        @Override
        public void close() {
            queue.complete();
        }

        @Override
        public void participantEnded(ParticipantId participant) {
            registry.remove(participant);
            queue.complete();
            ended.complete(null);
        }

        Publisher<Map<String, Object>> signals() {
            return signals;
        }

        /** Whether {@code presented} is this session's secret; in constant time, so timing tells nothing. */
        boolean isOwnedBy(String presented) {
            return presented != null
                    && MessageDigest.isEqual(secretBytes, presented.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final ActorSystem<?> system;
    private final ActorRef<SfuNode.Command> node;
    private final ProtocolCodec codec = new ProtocolCodec();
    private final Map<ParticipantId, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    GraphqlCalls(ActorSystem<?> system, ActorRef<SfuNode.Command> node) {
        this.system = system;
        this.node = node;
    }

    /** Admits a participant as a /signal join would; completes once the room has taken it. */
    CompletableFuture<Session> join(String neighbourhood, String room, String did, String name) {
        Session session = new Session(new RoomKey(neighbourhood, room), did, newSecret(), codec, system, sessions);
        SfuNode.JoinRequest request = new SfuNode.JoinRequest("gql-join", neighbourhood, room, did, name, true);
        return AskPattern.<SfuNode.Command, SfuNode.JoinOutcome>ask(node,
                        replyTo -> new SfuNode.Join(request, session, replyTo), TIMEOUT, system.scheduler())
                .toCompletableFuture()
                .thenCompose(outcome -> {
                    if (outcome instanceof SfuNode.Redirected redirected) {
                        throw new IllegalStateException("node-full: join through " + redirected.signalUrl());
                    }
                    if (outcome instanceof SfuNode.Full full) {
                        throw new IllegalStateException("node-full: " + full.message());
                    }
                    SfuNode.Admitted admitted = (SfuNode.Admitted) outcome;
                    session.participant = admitted.participant();
                    session.participantId = admitted.participantId();
                    sessions.put(admitted.participantId(), session);
                    return session.joined.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).thenApply(j -> session);
                });
    }

    /** The node's answer to the session's publish offer (or the error it gave). */
    CompletableFuture<ClientEvent> publish(Session session, String offer) {
        session.participant.tell(new Participant.ClientOffer("publish", offer, Map.of(), "gql-offer"));
        return session.publishAnswer.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The session named {@code sessionId}, or null: check {@link Session#isOwnedBy} before acting for it. */
    Session find(String sessionId) {
        return sessionId == null ? null : sessions.get(new ParticipantId(sessionId));
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    void answer(Session session, String sdp) {
        session.participant.tell(new Participant.ClientAnswer("subscribe", sdp, "gql-answer"));
    }

    void leave(Session session) {
        session.participant.tell(new Participant.ClientLeave(LeaveReason.LEAVE));
    }
}
