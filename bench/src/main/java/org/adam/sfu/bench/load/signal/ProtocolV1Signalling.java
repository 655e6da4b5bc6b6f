package org.adam.sfu.bench.load.signal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Our node's client protocol, version 1 (docs/protocol.md): JSON frames over the {@code /signal}
 * WebSocket, {@code hello} then {@code join} (open auth, so the DID is not checked), the publish
 * offer answered by the node, the node's subscribe offers answered by the client. Candidates
 * travel in the SDP on both sides, so no {@code candidate} frames are sent or read.
 */
public final class ProtocolV1Signalling implements SfuSignalling {

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI signalUrl;
    private final String neighbourhood;
    private final Executor offers;
    private final HttpClient http;

    /**
     * @param offers where subscribe offers are answered (off the WebSocket's own threads)
     */
    public ProtocolV1Signalling(URI signalUrl, String neighbourhood, Executor offers) {
        this.signalUrl = signalUrl;
        this.neighbourhood = neighbourhood;
        this.offers = offers;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public String sfuName() {
        return "ours";
    }

    @Override
    public SfuSession join(String room, String displayName, SubscribeOfferHandler subscribeOffers)
            throws SignallingException {
        Session session = new Session(subscribeOffers);
        try {
            session.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(signalUrl, session).get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            session.hello.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            session.close();
            throw new SignallingException("cannot open " + signalUrl + ": " + e, e);
        }
        ObjectNode join = JSON.createObjectNode();
        join.put("type", "join");
        join.put("neighbourhood", neighbourhood);
        join.put("room", room);
        join.put("did", "did:key:z6MkLoad" + UUID.randomUUID().toString().replace("-", ""));
        join.put("name", displayName);
        join.put("autoSubscribe", true);
        JsonNode joined = session.request(join);
        if (!joined.path("type").asText().equals("joined")) {
            session.close();
            throw new SignallingException("join refused: " + joined);
        }
        if (!joined.path("topology").asText().equals("sfu")) {
            session.close();
            throw new SignallingException("the call is " + joined.path("topology").asText() + ", not sfu");
        }
        session.participantId = joined.path("participantId").asText();
        return session;
    }

    private final class Session implements SfuSession, WebSocket.Listener {
        private final SubscribeOfferHandler subscribeOffers;
        private final CompletableFuture<JsonNode> hello = new CompletableFuture<>();
        private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        private final Object sendLock = new Object();
        private volatile Consumer<Map<String, Boolean>> publishLayers = layers -> { };
        /** Subscribe offers are answered in order, one at a time, as the protocol requires. */
        private CompletableFuture<Void> offerChain = CompletableFuture.completedFuture(null);
        private volatile WebSocket socket;
        private volatile String participantId;
        private volatile boolean closed;
        /** Set on leave: offers that cross it (the others leaving too) are not answered. */
        private volatile boolean leaving;

        Session(SubscribeOfferHandler subscribeOffers) {
            this.subscribeOffers = subscribeOffers;
        }

        @Override
        public String publish(String offerSdp) throws SignallingException {
            ObjectNode offer = JSON.createObjectNode();
            offer.put("type", "offer");
            offer.put("pc", "publish");
            offer.put("sdp", offerSdp);
            JsonNode answer = request(offer);
            if (!answer.path("type").asText().equals("answer")) {
                throw new SignallingException("publish offer refused: " + answer);
            }
            return answer.path("sdp").asText();
        }

        @Override
        public void setQuality(String quality) throws SignallingException {
            ObjectNode frame = JSON.createObjectNode();
            frame.put("type", "set-quality");
            frame.put("quality", quality);
            send(frame);
        }

        @Override
        public void onPublishLayers(Consumer<Map<String, Boolean>> listener) {
            publishLayers = listener;
        }

        JsonNode request(ObjectNode frame) throws SignallingException {
            String id = Integer.toString(ids.incrementAndGet());
            frame.put("id", id);
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            pending.put(id, reply);
            try {
                send(frame);
                return reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (SignallingException e) {
                throw e;
            } catch (Exception e) {
                throw new SignallingException("no reply to " + frame.path("type").asText() + ": " + e, e);
            } finally {
                pending.remove(id);
            }
        }

        private void send(JsonNode frame) throws SignallingException {
            WebSocket ws = socket;
            if (ws == null || closed) {
                throw new SignallingException("signalling closed");
            }
            try {
                // One text frame at a time: the JDK WebSocket refuses overlapping sends.
                synchronized (sendLock) {
                    ws.sendText(JSON.writeValueAsString(frame), true).get(REPLY_TIMEOUT.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            } catch (Exception e) {
                throw new SignallingException("cannot send " + frame.path("type").asText() + ": " + e, e);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    onFrame(JSON.readTree(text));
                } catch (Exception e) {
                    failAll(new SignallingException("unreadable frame from the node: " + e));
                }
            }
            webSocket.request(1);
            return null;
        }

        private void onFrame(JsonNode frame) {
            String type = frame.path("type").asText();
            CompletableFuture<JsonNode> reply = frame.hasNonNull("id") ? pending.get(frame.get("id").asText()) : null;
            if (reply != null) {
                reply.complete(frame);
                return;
            }
            switch (type) {
                case "hello" -> hello.complete(frame);
                case "offer" -> {
                    if (frame.path("pc").asText().equals("subscribe")) {
                        String sdp = frame.path("sdp").asText();
                        synchronized (this) {
                            offerChain = offerChain.thenRunAsync(() -> answerSubscribe(sdp), offers);
                        }
                    }
                }
                case "publish-layers" -> {
                    Map<String, Boolean> layers = new HashMap<>();
                    Iterator<Map.Entry<String, JsonNode>> fields = frame.path("layers").fields();
                    while (fields.hasNext()) {
                        Map.Entry<String, JsonNode> field = fields.next();
                        layers.put(field.getKey(), field.getValue().asBoolean());
                    }
                    publishLayers.accept(layers);
                }
                default -> {
                    // participant and track events, active speaker, pongs: not needed for load
                }
            }
        }

        private void answerSubscribe(String offerSdp) {
            if (leaving || closed) {
                return;
            }
            try {
                ObjectNode answer = JSON.createObjectNode();
                answer.put("type", "answer");
                answer.put("pc", "subscribe");
                answer.put("sdp", subscribeOffers.answer(offerSdp));
                send(answer);
            } catch (Exception e) {
                if (leaving) {
                    return; // the offer crossed our leave
                }
                System.err.println("load: participant " + participantId + " could not answer a subscribe offer: " + e);
            }
        }

        private void failAll(Exception cause) {
            hello.completeExceptionally(cause);
            pending.values().forEach(reply -> reply.completeExceptionally(cause));
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed = true;
            failAll(new SignallingException("the node closed signalling: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed = true;
            failAll(new SignallingException("signalling failed: " + error, error));
        }

        @Override
        public void close() {
            leaving = true;
            WebSocket ws = socket;
            if (ws != null && !closed) {
                try {
                    ObjectNode leave = JSON.createObjectNode();
                    leave.put("type", "leave");
                    send(leave);
                    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    ws.abort();
                }
            }
            closed = true;
        }
    }
}
