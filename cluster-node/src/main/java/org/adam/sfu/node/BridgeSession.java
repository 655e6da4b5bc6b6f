package org.adam.sfu.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.room.neighbourhood.SfuLeave;
import org.adam.sfu.room.policy.Neighbourhoods;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The neighbourhood bridge (`/bridge`, docs/protocol.md): an ADAM executor relays its
 * neighbourhood's signals through it both ways. The node's `sfu-announce` (every 2 s) and
 * `sfu-leave` (when it stops) go out to each bridged neighbourhood; agents' call signalling comes
 * in as the /signal protocol, one `session` per agent, each run by its own {@link AgentChannels}
 * channel; the executor may also set a neighbourhood's member DIDs.
 */
final class BridgeSession extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeSession.class);
    private static final Duration ANNOUNCE_INTERVAL = Duration.ofSeconds(2);
    /** Open bridges, told `sfu-leave` when the node stops. */
    static final Set<BridgeSession> OPEN = ConcurrentHashMap.newKeySet();

    private final ObjectMapper json = new ObjectMapper();
    private final ActorSystem<?> system;
    private final ActorRef<SfuNode.Command> node;
    private final ActorRef<Neighbourhoods.Command> neighbourhoods;
    private final AgentChannels agents;
    private final OperatorAccess operator;
    private final String nodeId;
    private final String did;
    private final Map<String, AgentChannels.Agent> sessions = new HashMap<>();
    private final List<String> bridged = new ArrayList<>();
    private ChannelHandlerContext ctx;
    /** Whether the upgrade request made this bridge the operator's without a token. */
    private boolean operatorWithoutToken;
    private ScheduledFuture<?> announcing;

    BridgeSession(ActorSystem<?> system, ActorRef<SfuNode.Command> node, ActorRef<Neighbourhoods.Command> neighbourhoods,
                  AgentChannels agents, OperatorAccess operator, String nodeId, String did) {
        this.system = system;
        this.node = node;
        this.neighbourhoods = neighbourhoods;
        this.agents = agents;
        this.operator = operator;
        this.nodeId = nodeId;
        this.did = did;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            operatorWithoutToken = operator.allowsWithoutToken(handshake.requestHeaders());
        }
        super.userEventTriggered(context, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) throws Exception {
        if (!(frame instanceof TextWebSocketFrame text)) {
            close(1003, "text frames only");
            return;
        }
        JsonNode message;
        try {
            message = json.readTree(text.text());
        } catch (Exception e) {
            send(error("bad-request", "not JSON"));
            return;
        }
        String type = message.path("type").asText();
        if (type.equals("bridge-hello")) {
            onHello(message);
        } else if (announcing == null) {
            close(4401, "send bridge-hello first");
        } else if (type.equals("agent-signal")) {
            onAgentSignal(message);
        } else if (type.equals("agent-close")) {
            AgentChannels.Agent agent = sessions.remove(message.path("session").asText());
            if (agent != null) {
                agent.close();
            }
        } else if (type.equals("members")) {
            onMembers(message);
        } else {
            send(error("unknown-type", "unknown bridge message type '" + type + "'"));
        }
    }

    private void onHello(JsonNode hello) {
        if (announcing != null) {
            send(error("bad-request", "bridge-hello was already sent"));
            return;
        }
        if (!operatorWithoutToken && !operator.allowsAuthorization(hello.path("authorization").asText(null))) {
            close(4401, "the bridge needs the node's bearer token");
            return;
        }
        for (JsonNode neighbourhood : hello.path("neighbourhoods")) {
            bridged.add(neighbourhood.asText());
        }
        ObjectNode ready = json.createObjectNode().put("type", "bridge-ready").put("node", nodeId).put("did", did);
        ready.set("neighbourhoods", json.valueToTree(bridged));
        send(ready);
        OPEN.add(this);
        announce();
        announcing = ctx.executor().scheduleAtFixedRate(this::announce, ANNOUNCE_INTERVAL.toMillis(),
                ANNOUNCE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("neighbourhood bridge open for {}", bridged);
    }

    /** This node's `sfu-announce`, once per bridged neighbourhood. */
    private void announce() {
        CompletionStage<SfuNode.Nodes> nodes = AskPattern.ask(node, SfuNode.GetNodes::new, Duration.ofSeconds(2),
                system.scheduler());
        nodes.thenAccept(all -> all.nodes().stream().filter(a -> a.node().equals(nodeId)).findFirst()
                .ifPresent(mine -> ctx.executor().execute(() -> signalNeighbourhoods(mine))));
    }

    private void signalNeighbourhoods(Object message) {
        for (String neighbourhood : bridged) {
            ObjectNode out = json.createObjectNode().put("type", "neighbourhood-signal")
                    .put("neighbourhood", neighbourhood);
            out.set("message", json.valueToTree(message));
            send(out);
        }
    }

    /** The node is stopping: `sfu-leave` to every bridged neighbourhood. Any thread. */
    void leave() {
        ctx.executor().execute(() -> signalNeighbourhoods(new SfuLeave(did, "")));
    }

    private void onAgentSignal(JsonNode message) {
        String session = message.path("session").asText("");
        if (session.isEmpty() || session.length() > 128 || !message.path("message").isObject()) {
            send(error("bad-request", "agent-signal needs a session and a message object"));
            return;
        }
        AgentChannels.Agent agent = sessions.get(session);
        if (agent == null) {
            if (sessions.size() >= 1000) {
                send(error("too-many-sessions", "this bridge has 1000 agent sessions open"));
                return;
            }
            agent = agents.open(text -> toAgent(session, text), () -> ctx.executor().execute(() -> {
                sessions.remove(session);
                send(json.createObjectNode().put("type", "agent-close").put("session", session));
            }));
            sessions.put(session, agent);
        }
        agent.send(message.path("message").toString());
    }

    private void toAgent(String session, String frame) {
        ctx.executor().execute(() -> {
            ObjectNode out = json.createObjectNode().put("type", "agent-signal").put("session", session);
            try {
                out.set("message", json.readTree(frame));
            } catch (Exception e) {
                return;
            }
            send(out);
        });
    }

    private void onMembers(JsonNode message) {
        String neighbourhood = message.path("neighbourhood").asText("");
        if (!bridged.contains(neighbourhood) || !message.path("members").isArray()) {
            send(error("bad-request", "members needs a bridged neighbourhood and a members array"));
            return;
        }
        List<String> members = new ArrayList<>();
        message.path("members").forEach(m -> members.add(m.asText()));
        AskPattern.<Neighbourhoods.Command, Neighbourhoods.Outcome>ask(neighbourhoods,
                replyTo -> new Neighbourhoods.SetMembers(neighbourhood, members, replyTo), Duration.ofSeconds(5),
                system.scheduler()).thenAccept(outcome -> ctx.executor().execute(() -> send(json.createObjectNode()
                .put("type", "members-saved").put("neighbourhood", neighbourhood).put("count", members.size()))));
    }

    private ObjectNode error(String code, String message) {
        return json.createObjectNode().put("type", "error").put("code", code).put("message", message);
    }

    private void send(ObjectNode message) {
        ctx.writeAndFlush(new TextWebSocketFrame(message.toString()));
    }

    private void close(int code, String reason) {
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(f -> ctx.close());
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        OPEN.remove(this);
        if (announcing != null) {
            announcing.cancel(false);
        }
        sessions.values().forEach(AgentChannels.Agent::close);
        sessions.clear();
        context.fireChannelInactive();
    }

    /** For the shutdown hook: what it would send, whatever bridges are open. */
    static void leaveAll() {
        OPEN.forEach(BridgeSession::leave);
    }

}
