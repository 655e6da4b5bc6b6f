package org.adam.sfu.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.ExecutionResult;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * GraphQL over WebSocket with the `graphql-transport-ws` subprotocol (the one ADAM's clients
 * speak): `connection_init` (its payload's `authorization` is the bearer token), then
 * `subscribe`/`next`/`error`/`complete` per operation id, `ping`/`pong`. Queries and mutations
 * answer with one `next` and a `complete`; subscriptions stream `next` until either side
 * completes. One instance per connection, on its channel's event loop.
 *
 * <p>A connection runs at most {@link #MAX_OPERATIONS} operations at once (each subscription holds
 * a stream and a watcher in its room until it completes); one more is answered with an `error`.
 * An operation id longer than {@link #MAX_ID_CHARS} closes the connection (4400) before anything
 * is kept; messages are bounded before they are assembled, by the HTTP port's
 * WebSocketMessageLimit.
 */
final class GraphqlWsSession extends SimpleChannelInboundHandler<WebSocketFrame> {

    static final String SUBPROTOCOL = "graphql-transport-ws";
    static final int MAX_OPERATIONS = 16;
    static final int MAX_ID_CHARS = 128;

    private final ObjectMapper json = new ObjectMapper();
    private final GraphqlApi graphql;
    private final OperatorAccess operatorAccess;
    private final Map<String, Subscription> running = new HashMap<>();
    /** Subscriptions that sent an event while the socket was unwritable: asked for more once it drains. */
    private final List<Forwarder> waitingToDrain = new ArrayList<>();
    private ChannelHandlerContext ctx;
    /** Whether the upgrade request made this connection the operator's without a token. */
    private boolean operatorWithoutToken;
    private boolean initialised;
    private boolean operator;

    GraphqlWsSession(GraphqlApi graphql, OperatorAccess operatorAccess) {
        this.graphql = graphql;
        this.operatorAccess = operatorAccess;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            operatorWithoutToken = operatorAccess.allowsWithoutToken(handshake.requestHeaders());
        }
        super.userEventTriggered(context, event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) throws Exception {
        if (context.channel().isWritable()) {
            List<Forwarder> drained = List.copyOf(waitingToDrain);
            waitingToDrain.clear();
            drained.forEach(Forwarder::requestNext);
        }
        super.channelWritabilityChanged(context);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame text)) {
            close(4400, "only text frames");
            return;
        }
        JsonNode message;
        try {
            message = json.readTree(text.text());
        } catch (Exception e) {
            close(4400, "not JSON");
            return;
        }
        String id = message.path("id").asText(null);
        if (id != null && id.length() > MAX_ID_CHARS) {
            close(4400, "operation ids are limited to " + MAX_ID_CHARS + " characters");
            return;
        }
        switch (message.path("type").asText()) {
            case "connection_init" -> {
                if (initialised) {
                    close(4429, "Too many initialisation requests");
                    return;
                }
                initialised = true;
                String authorization = message.path("payload").path("authorization").asText(null);
                operator = operatorWithoutToken || operatorAccess.allowsAuthorization(authorization);
                send(json.createObjectNode().put("type", "connection_ack"));
            }
            case "ping" -> send(json.createObjectNode().put("type", "pong"));
            case "pong" -> {
                // keep-alive answer
            }
            case "subscribe" -> {
                if (!initialised) {
                    close(4401, "Unauthorized");
                } else if (id == null || running.containsKey(id)) {
                    close(4409, "Subscriber for " + id + " already exists");
                } else if (running.size() >= MAX_OPERATIONS) {
                    sendError(id, "too-many-operations", "a connection runs at most " + MAX_OPERATIONS
                            + " operations at once: complete one first");
                } else {
                    execute(id, message.path("payload"));
                }
            }
            case "complete" -> {
                Subscription subscription = running.remove(id);
                if (subscription != null) {
                    subscription.cancel();
                }
            }
            default -> close(4400, "unknown message type");
        }
    }

    private void execute(String id, JsonNode payload) {
        running.put(id, NOT_STARTED);
        graphql.executeStreaming(payload, operator).whenComplete((result, failure) -> ctx.executor().execute(() -> {
            if (!running.containsKey(id)) {
                return; // completed by the client meanwhile
            }
            if (failure != null) {
                running.remove(id);
                sendError(id, "internal", "the operation failed: " + failure.getMessage());
            } else if (result.getData() instanceof Publisher<?> publisher && result.getErrors().isEmpty()) {
                @SuppressWarnings("unchecked")
                Publisher<ExecutionResult> events = (Publisher<ExecutionResult>) publisher;
                events.subscribe(new Forwarder(id));
            } else {
                running.remove(id);
                send(next(id, result));
                send(json.createObjectNode().put("type", "complete").put("id", id));
            }
        }));
    }

    private ObjectNode next(String id, ExecutionResult result) {
        ObjectNode out = json.createObjectNode().put("type", "next").put("id", id);
        out.set("payload", json.valueToTree(result.toSpecification()));
        return out;
    }

    private void sendError(String id, String code, String message) {
        ObjectNode out = json.createObjectNode().put("type", "error").put("id", id);
        ObjectNode error = out.putArray("payload").addObject().put("message", message);
        error.putObject("extensions").put("code", code);
        send(out);
    }

    private void send(ObjectNode message) {
        ctx.writeAndFlush(new TextWebSocketFrame(message.toString()));
    }

    private void close(int code, String reason) {
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(f -> ctx.close());
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        running.values().forEach(Subscription::cancel);
        running.clear();
        context.fireChannelInactive();
    }

    /** Streams one subscription's events to the socket, one at a time. */
    private final class Forwarder implements Subscriber<ExecutionResult> {
        private final String id;
        private Subscription subscription;

        Forwarder(String id) {
            this.id = id;
        }

        @Override
        public void onSubscribe(Subscription s) {
            ctx.executor().execute(() -> {
                if (!running.containsKey(id)) {
                    s.cancel();
                    return;
                }
                subscription = s;
                running.put(id, s);
                s.request(1);
            });
        }

        @Override
        public void onNext(ExecutionResult result) {
            ctx.executor().execute(() -> {
                if (running.get(id) == subscription) {
                    send(next(id, result));
                    // A client that does not keep up is not sent more: the event stream drops
                    // its oldest events meanwhile (RoomEventStream) instead of the socket queueing them.
                    if (ctx.channel().isWritable()) {
                        subscription.request(1);
                    } else {
                        waitingToDrain.add(this);
                    }
                }
            });
        }

        void requestNext() {
            if (running.get(id) == subscription) {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            ctx.executor().execute(() -> {
                if (running.remove(id) != null) {
                    sendError(id, "internal", "the subscription failed: " + failure.getMessage());
                }
            });
        }

        @Override
        public void onComplete() {
            ctx.executor().execute(() -> {
                if (running.remove(id) != null) {
                    send(json.createObjectNode().put("type", "complete").put("id", id));
                }
            });
        }
    }

    /** Placeholder while an operation runs, so a `complete` from the client can cancel it. */
    private static final Subscription NOT_STARTED = new Subscription() {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
    };
}
