package org.adam.sfu.signal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.adam.sfu.room.ClientEvent;
import org.adam.sfu.room.ClientLink;
import org.adam.sfu.room.LeaveReason;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.signal.auth.AuthMode;
import org.adam.sfu.signal.auth.JoinAuthenticator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's `/signal` WebSocket: greets with a nonce, validates each frame, authenticates the
 * join, and hands call requests to the client's {@link Participant} actor. Everything here runs
 * on the socket's event loop; replies from actors come back through {@link ClientLink}, which
 * Netty makes safe from any thread.
 */
public final class SignalSession extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(SignalSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SignalSettings settings;
    private final SilenceWatch silence;
    private final ProtocolCodec codec;
    private final JoinAuthenticator authenticator;
    private final MembershipCheck membership;
    private final ActorRef<SfuNode.Command> node;
    private final ActorSystem<?> system;

    private Channel channel;
    private String nonce;
    private boolean nonceUsed;
    private boolean joining;
    private ActorRef<Participant.Command> participant;
    private ParticipantId participantId;
    /**
     * Requests that arrive after the participant actor sent `joined` but before this session
     * learnt the actor's address (the two race); replayed once it is known.
     */
    private final java.util.ArrayDeque<ClientRequest> whileJoining = new java.util.ArrayDeque<>();
    private static final int MAX_WHILE_JOINING = 64;

    /**
     * @param membership asked under DID auth: a proven DID that is not a member of the
     *                   neighbourhood is refused `not-a-member`
     */
    public SignalSession(SignalSettings settings, ProtocolCodec codec, JoinAuthenticator authenticator,
                         MembershipCheck membership, ActorRef<SfuNode.Command> node, ActorSystem<?> system) {
        super(true);
        this.settings = settings;
        this.silence = new SilenceWatch(settings.pingInterval(), settings.silenceTimeout());
        this.codec = codec;
        this.authenticator = authenticator;
        this.membership = membership;
        this.node = node;
        this.system = system;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            channel = ctx.channel();
            nonce = newNonce();
            sendText(codec.hello(settings.nodeId(), nonce));
        } else if (event instanceof IdleStateEvent idle) {
            if (channel == null) {
                // A plain HTTP connection (no WebSocket upgrade): closed once silent for the
                // silence timeout, not at the first ping interval, which would race clients
                // reusing a kept-alive connection.
                if (idle.state() == IdleState.READER_IDLE
                        && silence.onSilentInterval(idle.isFirst()) == SilenceWatch.Action.CLOSE) {
                    ctx.close();
                }
            } else if (idle.state() == IdleState.READER_IDLE) {
                if (silence.onSilentInterval(idle.isFirst()) == SilenceWatch.Action.CLOSE) {
                    LOG.info("closing /signal socket silent for {}", settings.silenceTimeout());
                    ctx.writeAndFlush(new CloseWebSocketFrame(1001, "silent too long"))
                            .addListener(ChannelFutureListener.CLOSE);
                } else {
                    ctx.writeAndFlush(new PingWebSocketFrame());
                }
            }
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            onText(text);
        } else if (frame instanceof BinaryWebSocketFrame) {
            sendError(null, ErrorCodes.BAD_REQUEST, "binary frames are not part of the protocol");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (participant != null) {
            participant.tell(Participant.LinkLost.INSTANCE);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("/signal socket failed, closing it", cause);
        ctx.close();
    }

    private void onText(TextWebSocketFrame frame) {
        if (frame.content().readableBytes() > settings.maxFrameBytes()) {
            sendError(null, ErrorCodes.TOO_LARGE,
                    "frames are limited to " + settings.maxFrameBytes() + " bytes");
            return;
        }
        String text = frame.content().toString(StandardCharsets.UTF_8);
        try {
            dispatch(codec.decode(text));
        } catch (ProtocolException e) {
            sendError(e.requestId(), e.code(), e.getMessage());
        }
    }

    private void dispatch(ClientRequest request) throws ProtocolException {
        if (request instanceof ClientRequest.Ping ping) {
            sendEvent(new ClientEvent.Pong(ping.id()));
        } else if (request instanceof ClientRequest.Join join) {
            onJoin(join);
        } else if (request instanceof ClientRequest.Resume resume) {
            onResume(resume);
        } else if (participant == null && joining && whileJoining.size() < MAX_WHILE_JOINING) {
            whileJoining.add(request);
        } else {
            ActorRef<Participant.Command> target = requireJoined(request);
            if (request instanceof ClientRequest.Offer offer) {
                target.tell(new Participant.ClientOffer(offer.pc(), offer.sdp(), offer.sources(), offer.id()));
            } else if (request instanceof ClientRequest.Answer answer) {
                target.tell(new Participant.ClientAnswer(answer.pc(), answer.sdp(), answer.id()));
            } else if (request instanceof ClientRequest.Candidate candidate) {
                // The node is ICE-lite and learns the client's address from its checks; but checks
                // through the node's own TURN relay pass only from candidates the relay lets in.
                if (!candidate.candidate().isEmpty()) {
                    target.tell(new Participant.ClientCandidate(candidate.pc(), candidate.candidate()));
                }
            } else if (request instanceof ClientRequest.Subscribe subscribe) {
                List<TrackId> ids = subscribe.tracks().stream().map(TrackId::new).toList();
                target.tell(new Participant.ClientSubscribe(ids, subscribe.subscribe()));
            } else if (request instanceof ClientRequest.SetQuality quality) {
                target.tell(new Participant.ClientSetQuality(quality.quality(),
                        quality.track() == null ? null : new TrackId(quality.track())));
            } else if (request instanceof ClientRequest.RestartIce restart) {
                target.tell(new Participant.ClientRestartIce(restart.pc(), restart.id()));
            } else if (request instanceof ClientRequest.Mute mute) {
                target.tell(new Participant.ClientMute(new TrackId(mute.track()), mute.muted(), mute.id()));
            } else if (request instanceof ClientRequest.MeshSignal signal) {
                target.tell(new Participant.ClientMeshSignal(signal.to(), signal.payload().toString(), signal.id()));
            } else if (request instanceof ClientRequest.Leave) {
                target.tell(new Participant.ClientLeave(LeaveReason.LEAVE));
                participant = null;
                participantId = null;
            }
        }
    }

    private void replayWhileJoining() {
        while (!whileJoining.isEmpty()) {
            ClientRequest request = whileJoining.poll();
            try {
                dispatch(request);
            } catch (ProtocolException e) {
                sendError(e.requestId(), e.code(), e.getMessage());
            }
        }
    }

    private ActorRef<Participant.Command> requireJoined(ClientRequest request) throws ProtocolException {
        if (participant == null) {
            throw new ProtocolException(ErrorCodes.NOT_JOINED, "join first", request.id());
        }
        return participant;
    }

    /**
     * Takes the nonce, has the proof verified off this event loop, checks membership, then asks
     * the node to admit. {@code joining} is set for the whole of it, so one socket has at most one
     * proof being verified at a time.
     */
    private void onJoin(ClientRequest.Join join) throws ProtocolException {
        if (participant != null || joining) {
            throw ProtocolException.badRequest("already joined; send leave first", join.id());
        }
        takeNonce(join.id());
        joining = true;
        authenticator.verifyJoin(join.did(), join.proof(), nonce, join.neighbourhood(), join.room(), join.id())
                .whenComplete((ok, failure) -> channel.eventLoop().execute(() -> {
                    if (failure != null) {
                        refuseWhileJoining(failure, join.id());
                    } else if (authenticator.mode() == AuthMode.DID
                            && !membership.isMember(join.neighbourhood(), join.did())) {
                        refuseWhileJoining(new ProtocolException(ErrorCodes.NOT_A_MEMBER,
                                join.did() + " is not a member of " + join.neighbourhood(), join.id()), join.id());
                    } else {
                        admit(join);
                    }
                }));
    }

    /** Ends a join or resume that was refused: the error, then the requests that waited for it. */
    private void refuseWhileJoining(Throwable failure, String requestId) {
        joining = false;
        ProtocolException refused = JoinAuthenticator.refusal(failure);
        if (refused != null) {
            sendError(refused.requestId(), refused.code(), refused.getMessage());
        } else {
            LOG.warn("checking a join or resume failed", failure);
            sendError(requestId, ErrorCodes.INTERNAL, "the node could not check the request");
        }
        replayWhileJoining();
    }

    private void admit(ClientRequest.Join join) {
        SfuNode.JoinRequest request = new SfuNode.JoinRequest(join.id(), join.neighbourhood(), join.room(),
                join.did(), join.name() == null ? "" : join.name(), join.autoSubscribe());
        ClientLink link = new SocketLink();
        CompletionStage<SfuNode.JoinOutcome> outcome = AskPattern.ask(node,
                replyTo -> new SfuNode.Join(request, link, replyTo), settings.askTimeout(), system.scheduler());
        outcome.whenComplete((result, failure) -> channel.eventLoop().execute(() -> {
            joining = false;
            if (failure != null) {
                sendError(join.id(), ErrorCodes.INTERNAL, "the node did not admit the join in time");
                replayWhileJoining();
            } else if (result instanceof SfuNode.Redirected redirected) {
                replayWhileJoining();
                sendEvent(new ClientEvent.Error(join.id(), ErrorCodes.NODE_FULL,
                        "this node is full or draining; join through " + redirected.signalUrl(),
                        redirected.signalUrl()));
            } else if (result instanceof SfuNode.Full full) {
                replayWhileJoining();
                sendError(join.id(), ErrorCodes.NODE_FULL, full.message());
            } else if (result instanceof SfuNode.Admitted admitted) {
                if (channel.isActive()) {
                    participant = admitted.participant();
                    participantId = admitted.participantId();
                    replayWhileJoining();
                } else {
                    admitted.participant().tell(Participant.LinkLost.INSTANCE);
                }
            }
        }));
    }

    /**
     * Moves a participant of this node to this socket. Under open auth the request must carry the
     * token the participant's `joined` gave it; otherwise anyone who learnt a participant id (every
     * member of the room does) could close that participant's socket and take its call over.
     */
    private void onResume(ClientRequest.Resume resume) throws ProtocolException {
        if (participant != null || joining) {
            throw ProtocolException.badRequest("already joined", resume.id());
        }
        takeNonce(resume.id());
        String signedNonce = nonce;
        joining = true;
        CompletionStage<Optional<SfuNode.Found>> found = AskPattern.ask(node,
                replyTo -> new SfuNode.FindParticipant(new ParticipantId(resume.participantId()), replyTo),
                settings.askTimeout(), system.scheduler());
        found.whenComplete((result, failure) -> channel.eventLoop().execute(() -> {
            if (failure != null || result.isEmpty()) {
                refuseWhileJoining(new ProtocolException(ErrorCodes.BAD_REQUEST, "no participant "
                        + resume.participantId() + " to resume on this node", resume.id()), resume.id());
                return;
            }
            SfuNode.Found target = result.get();
            authenticator.verifyResume(target.did(), resume.proof(), resume.resumeToken(), target.resumeToken(),
                            signedNonce, resume.participantId(), resume.id())
                    .whenComplete((ok, refused) -> channel.eventLoop().execute(() -> {
                        if (refused != null) {
                            LOG.info("resume of {} refused: {}", resume.participantId(), refused.getMessage());
                            refuseWhileJoining(refused, resume.id());
                            return;
                        }
                        joining = false;
                        if (!channel.isActive()) {
                            return; // this socket closed meanwhile: the participant stays where it is
                        }
                        participant = target.participant();
                        participantId = new ParticipantId(resume.participantId());
                        participant.tell(new Participant.Resume(new SocketLink(), resume.id(),
                                resume.lastSeq() == null ? null : resume.lastSeq().longValue()));
                        replayWhileJoining();
                    }));
        }));
    }

    /**
     * A nonce is good for one join or resume; the next one gets a fresh nonce in a new hello. Under
     * DID auth that request is refused (it signed the old nonce) and the next one, signing the new
     * nonce, is taken.
     */
    private void takeNonce(String requestId) throws ProtocolException {
        if (nonceUsed) {
            nonce = newNonce();
            nonceUsed = false;
            sendText(codec.hello(settings.nodeId(), nonce));
            if (authenticator.mode() != AuthMode.OPEN) {
                throw new ProtocolException(ErrorCodes.UNAUTHORIZED,
                        "the session nonce was already used; sign the new one from hello", requestId);
            }
        }
        nonceUsed = true;
    }

    private void sendEvent(ClientEvent event) {
        sendText(codec.encode(event));
    }

    private void sendError(String requestId, String code, String message) {
        sendText(codec.error(requestId, code, message));
    }

    private void sendText(String text) {
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(new TextWebSocketFrame(text));
        }
    }

    private static String newNonce() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The participant actor's way back to this socket. */
    private final class SocketLink implements ClientLink {
        @Override
        public void send(ClientEvent event) {
            sendText(codec.encode(event));
        }

        @Override
        public void close() {
            if (channel != null) {
                channel.close();
            }
        }

        @Override
        public void participantEnded(ParticipantId ended) {
            channel.eventLoop().execute(() -> {
                if (ended.equals(participantId)) {
                    participant = null;
                    participantId = null;
                }
            });
        }
    }
}
