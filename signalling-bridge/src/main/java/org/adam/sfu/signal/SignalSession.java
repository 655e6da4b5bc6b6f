package org.adam.sfu.signal;

import java.nio.charset.StandardCharsets;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.adam.sfu.room.ClientEvent;
import org.adam.sfu.room.ClientLink;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.signal.auth.AuthMode;
import org.adam.sfu.signal.auth.JoinAuthenticator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's `/signal` WebSocket: greets with a nonce, validates each frame, authenticates the
 * join, and hands call requests to the client's {@link Participant} actor. Everything here runs
 * on the socket's event loop; replies from actors come back through {@link ClientLink}, which
 * Netty makes safe from any thread. Its parts: {@link SessionNonce}, {@link NodeAdmission},
 * {@link ParticipantCommands}, {@link HeldRequests}, {@link SignalKeepAlive}, {@link SocketLink}.
 */
public final class SignalSession extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(SignalSession.class);

    private final SignalSettings settings;
    private final SignalKeepAlive keepAlive;
    private final ProtocolCodec codec;
    private final JoinAuthenticator authenticator;
    private final MembershipCheck membership;
    private final NodeAdmission admission;

    private Channel channel;
    private final SessionNonce nonce = new SessionNonce(SessionNonce::random);
    private boolean joining;
    private ActorRef<Participant.Command> participant;
    private ParticipantId participantId;
    private final HeldRequests whileJoining = new HeldRequests();

    /**
     * @param membership asked under DID auth: a proven DID that is not a member of the
     *                   neighbourhood is refused `not-a-member`
     */
    public SignalSession(SignalSettings settings, ProtocolCodec codec, JoinAuthenticator authenticator,
                         MembershipCheck membership, ActorRef<SfuNode.Command> node, ActorSystem<?> system) {
        super(true);
        this.settings = settings;
        this.keepAlive = new SignalKeepAlive(settings);
        this.codec = codec;
        this.authenticator = authenticator;
        this.membership = membership;
        this.admission = new NodeAdmission(node, system, settings);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            channel = ctx.channel();
            sendText(codec.hello(settings.nodeId(), nonce.start()));
        } else if (event instanceof IdleStateEvent idle) {
            keepAlive.onIdle(ctx, idle, channel != null);
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
        } else if (participant == null && joining) {
            if (!whileJoining.hold(request)) {
                requireJoined(request); // too many wait: refused like any request before a join
            }
        } else {
            ActorRef<Participant.Command> target = requireJoined(request);
            Participant.Command command = ParticipantCommands.of(request);
            if (command != null) {
                target.tell(command);
            }
            if (request instanceof ClientRequest.Leave) {
                participant = null;
                participantId = null;
            }
        }
    }

    private void replayWhileJoining() {
        ClientRequest request;
        while ((request = whileJoining.next()) != null) {
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
        authenticator.verifyJoin(join.did(), join.proof(), nonce.current(), join.neighbourhood(), join.room(),
                        join.id())
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
        admission.admit(join, newLink()).whenComplete((result, failure) -> channel.eventLoop().execute(() -> {
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
        String signedNonce = nonce.current();
        joining = true;
        admission.find(resume.participantId()).whenComplete((result, failure) -> channel.eventLoop().execute(() -> {
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
                        participant.tell(new Participant.Resume(newLink(), resume.id(),
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
        String renewed = nonce.renewIfUsed();
        if (renewed != null) {
            sendText(codec.hello(settings.nodeId(), renewed));
            if (authenticator.mode() != AuthMode.OPEN) {
                throw new ProtocolException(ErrorCodes.UNAUTHORIZED,
                        "the session nonce was already used; sign the new one from hello", requestId);
            }
        }
        nonce.markUsed();
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

    private SocketLink newLink() {
        return new SocketLink(channel, codec, ended -> {
            if (ended.equals(participantId)) {
                participant = null;
                participantId = null;
            }
        });
    }
}
