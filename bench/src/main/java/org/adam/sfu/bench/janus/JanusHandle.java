package org.adam.sfu.bench.janus;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One plugin handle of a {@link JanusSession}: a single peer connection on the Janus side.
 * Requests go through the session; events about this handle that answer no request (webrtcup,
 * media, hangup, unsolicited plugin events) reach the listeners added here.
 */
public final class JanusHandle {

    private final JanusSession session;
    private final long id;
    private final List<Consumer<JanusEvent>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> webrtcUp = new CompletableFuture<>();
    private final CompletableFuture<String> hangup = new CompletableFuture<>();

    JanusHandle(JanusSession session, long id) {
        this.session = session;
        this.id = id;
    }

    public long id() {
        return id;
    }

    public JanusSession session() {
        return session;
    }

    /** Receives this handle's unsolicited events, on the session's event thread (must not block). */
    public void addListener(Consumer<JanusEvent> listener) {
        listeners.add(listener);
    }

    /** Completes when Janus reports the peer connection up ({@code webrtcup}: ICE and DTLS done). */
    public CompletableFuture<Void> webrtcUp() {
        return webrtcUp;
    }

    /** Completes with Janus's reason when it hangs the peer connection up. */
    public CompletableFuture<String> hangup() {
        return hangup;
    }

    /** A plugin request ({@code body}, optionally with a JSEP) and its reply; see {@link JanusSession}. */
    public CompletableFuture<JanusEvent> message(JsonNode body, Jsep jsep) {
        return session.message(id, body, jsep);
    }

    /**
     * Trickles one local candidate, e.g. {@code candidate:1 1 udp 2122260223 10.250.0.2 40000 typ host}
     * for the bundle's first m-line.
     */
    public CompletableFuture<Void> trickle(String sdpMid, int sdpMLineIndex, String candidate) {
        ObjectNode trickle = JanusSession.message("trickle");
        ObjectNode c = trickle.putObject("candidate");
        c.put("sdpMid", sdpMid);
        c.put("sdpMLineIndex", sdpMLineIndex);
        c.put("candidate", candidate);
        return session.handleRequest(id, trickle);
    }

    /** Tells Janus that no more local candidates will follow ({@code {"completed": true}}). */
    public CompletableFuture<Void> trickleCompleted() {
        ObjectNode trickle = JanusSession.message("trickle");
        trickle.putObject("candidate").put("completed", true);
        return session.handleRequest(id, trickle);
    }

    /** Closes the peer connection but keeps the handle. */
    public CompletableFuture<Void> hangupPeerConnection() {
        return session.handleRequest(id, JanusSession.message("hangup"));
    }

    /** Detaches the handle from its plugin (the session forgets it on Janus's {@code detached} event). */
    public CompletableFuture<Void> detach() {
        return session.handleRequest(id, JanusSession.message("detach")).whenComplete((ok, failure) -> {
            if (failure != null) {
                session.forget(id);
            }
        });
    }

    void deliver(JanusEvent event) {
        switch (event.janus()) {
            case "webrtcup" -> webrtcUp.complete(null);
            case "hangup" -> hangup.complete(event.raw().path("reason").asText(""));
            default -> { }
        }
        for (Consumer<JanusEvent> listener : listeners) {
            listener.accept(event);
        }
    }

    void sessionEnded(Throwable cause) {
        webrtcUp.completeExceptionally(cause);
        hangup.complete("session ended");
    }
}
