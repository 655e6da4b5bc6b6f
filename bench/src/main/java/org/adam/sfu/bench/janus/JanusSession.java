package org.adam.sfu.bench.janus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Janus session over the plain HTTP API ({@code POST /janus}, {@code POST /janus/<session>},
 * {@code POST /janus/<session>/<handle>}, long-poll {@code GET /janus/<session>}).
 *
 * <p>Janus answers asynchronous plugin requests with an {@code ack} and delivers the real reply
 * later on the long poll, which carries the events of every handle of the session. This class
 * keeps exactly one long poll outstanding, completes the request whose transaction an event
 * names, and hands the rest (webrtcup, media, hangup, unsolicited plugin events) to the handle
 * named by {@code sender}. It sends a keepalive well within Janus's session timeout (60 s by
 * default). Every request and every wait for an event is bounded by {@link Options}.
 *
 * <p>Everything is asynchronous on the {@link HttpClient}'s executor: no thread waits for
 * Janus. Handle listeners run on that executor, one event at a time per session, and must not
 * block.
 */
public final class JanusSession implements AutoCloseable {

    /**
     * @param requestTimeout    for each HTTP request but the long poll
     * @param eventTimeout      for the event that answers an asynchronous request
     * @param keepaliveInterval between keepalives (Janus closes a session idle for 60 s)
     * @param longPollTimeout   for one long poll (Janus holds it at most 30 s)
     * @param maxEventsPerPoll  how many queued events Janus may return in one long poll
     */
    public record Options(Duration requestTimeout, Duration eventTimeout, Duration keepaliveInterval,
                          Duration longPollTimeout, int maxEventsPerPoll) {

        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(25),
                    Duration.ofSeconds(45), 16);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** Keepalive ticks and long-poll retries: tiny tasks, so one daemon thread for all sessions. */
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "janus-timers");
        thread.setDaemon(true);
        return thread;
    });

    private static final AtomicLong TRANSACTIONS = new AtomicLong();

    private final HttpClient http;
    private final URI api;
    private final long id;
    private final Options options;
    private final Map<String, CompletableFuture<JanusEvent>> pending = new ConcurrentHashMap<>();
    private final Map<Long, JanusHandle> handles = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final ScheduledFuture<?> keepalive;
    private final AtomicLong unroutedEvents = new AtomicLong();
    private volatile int pollFailures;

    private JanusSession(HttpClient http, URI api, long id, Options options) {
        this.http = http;
        this.api = api;
        this.id = id;
        this.options = options;
        long every = options.keepaliveInterval().toMillis();
        this.keepalive = TIMERS.scheduleAtFixedRate(this::sendKeepalive, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Creates a session ({@code {"janus":"create"}}) and starts its long poll.
     *
     * @param api the Janus API base, e.g. {@code http://10.250.0.1:8088/janus}
     */
    public static CompletableFuture<JanusSession> create(HttpClient http, URI api, Options options) {
        ObjectNode create = message("create");
        return JanusHttp.post(http, api, create, options.requestTimeout()).thenApply(reply -> {
            JanusReplies.requireSuccess(reply);
            JanusSession session = new JanusSession(http, api, reply.path("data").path("id").asLong(), options);
            session.poll();
            return session;
        });
    }

    public long id() {
        return id;
    }

    /** Completes when the session has ended (destroyed, or lost: then exceptionally). */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** Events that named no known handle or transaction (a count, for diagnosis). */
    public long unroutedEvents() {
        return unroutedEvents.get();
    }

    /** Attaches a handle to a plugin, e.g. {@code janus.plugin.videoroom}. */
    public CompletableFuture<JanusHandle> attach(String plugin) {
        ObjectNode attach = message("attach");
        attach.put("plugin", plugin);
        return JanusHttp.post(http, sessionUri(), attach, options.requestTimeout()).thenApply(reply -> {
            JanusReplies.requireSuccess(reply);
            JanusHandle handle = new JanusHandle(this, reply.path("data").path("id").asLong());
            handles.put(handle.id(), handle);
            return handle;
        });
    }

    /**
     * Sends a plugin message on a handle and completes with its reply: the synchronous
     * {@code success} (plugin data in the POST's own answer) or, after an {@code ack}, the event
     * carrying the same transaction from the long poll. Fails with {@link JanusException} when
     * the core or the plugin refuses it, or with a timeout after {@link Options#eventTimeout()}.
     */
    CompletableFuture<JanusEvent> message(long handle, JsonNode body, Jsep jsep) {
        ObjectNode message = message("message");
        message.set("body", body);
        if (jsep != null) {
            message.set("jsep", jsep.toJson());
        }
        String transaction = message.get("transaction").asText();
        CompletableFuture<JanusEvent> reply = new CompletableFuture<>();
        // Registered before sending: the event may come back on the long poll before the ack.
        pending.put(transaction, reply);
        JanusHttp.post(http, handleUri(handle), message, options.requestTimeout()).whenComplete((answer, failure) -> {
            if (failure != null) {
                pending.remove(transaction);
                reply.completeExceptionally(failure);
            } else if (!"ack".equals(answer.path("janus").asText())) {
                pending.remove(transaction);
                JanusReplies.complete(reply, JanusEvent.fromJson(answer));
            }
        });
        return reply.orTimeout(options.eventTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((event, failure) -> pending.remove(transaction));
    }

    /** Sends a core request on a handle ({@code trickle}, {@code detach}, {@code hangup}) and expects ack or success. */
    CompletableFuture<Void> handleRequest(long handle, ObjectNode request) {
        return JanusHttp.post(http, handleUri(handle), request, options.requestTimeout())
                .thenAccept(JanusReplies::requireAcknowledged);
    }

    void forget(long handle) {
        handles.remove(handle);
    }

    /** Destroys the session in Janus (its handles and their peer connections go with it) and stops polling. */
    public CompletableFuture<Void> destroy() {
        if (closed.isDone()) {
            return CompletableFuture.completedFuture(null);
        }
        return JanusHttp.post(http, sessionUri(), message("destroy"), options.requestTimeout())
                .handle((reply, failure) -> {
                    end(null);
                    if (failure != null) {
                        throw failure instanceof RuntimeException runtime ? runtime : new RuntimeException(failure);
                    }
                    JanusReplies.requireAcknowledged(reply);
                    return null;
                });
    }

    @Override
    public void close() {
        try {
            destroy().get(options.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            end(e);
        }
    }

    private void end(Throwable cause) {
        keepalive.cancel(false);
        CancellationException gone = new CancellationException("Janus session " + id + " ended");
        if (cause != null) {
            gone.initCause(cause);
        }
        pending.values().forEach(reply -> reply.completeExceptionally(gone));
        pending.clear();
        handles.values().forEach(handle -> handle.sessionEnded(gone));
        handles.clear();
        if (cause == null) {
            closed.complete(null);
        } else {
            closed.completeExceptionally(cause);
        }
    }

    private void sendKeepalive() {
        if (closed.isDone()) {
            return;
        }
        JanusHttp.post(http, sessionUri(), message("keepalive"), options.requestTimeout())
                .whenComplete((reply, failure) -> {
                    if (failure == null && JanusReplies.isSessionGone(reply)) {
                        end(new JanusException(JanusException.NO_SUCH_SESSION, "session expired", false));
                    }
                });
    }

    private void poll() {
        if (closed.isDone()) {
            return;
        }
        URI uri = URI.create(sessionUri() + "?maxev=" + options.maxEventsPerPoll() + "&rid=" + System.currentTimeMillis());
        HttpRequest get = HttpRequest.newBuilder(uri).timeout(options.longPollTimeout()).GET().build();
        http.sendAsync(get, BoundedBody.upTo(BoundedBody.MAX_BYTES)).whenComplete((response, failure) -> {
            if (closed.isDone()) {
                return;
            }
            if (failure != null || response.statusCode() != 200) {
                // A dropped connection or a timed-out poll: retry a few times, then give up.
                if (++pollFailures > 5) {
                    end(failure != null ? failure : new IOException("long poll: HTTP " + response.statusCode()));
                } else {
                    TIMERS.schedule(this::poll, 200L * pollFailures, TimeUnit.MILLISECONDS);
                }
                return;
            }
            pollFailures = 0;
            try {
                JsonNode events = JSON.readTree(response.body());
                if (events.isArray()) {
                    events.forEach(this::dispatch);
                } else {
                    dispatch(events);
                }
            } catch (IOException | RuntimeException e) {
                end(e);
                return;
            }
            poll();
        });
    }

    private void dispatch(JsonNode message) {
        String kind = message.path("janus").asText();
        if ("keepalive".equals(kind)) {
            return;
        }
        if (JanusReplies.isSessionGone(message)) {
            end(new JanusException(JanusException.NO_SUCH_SESSION, message.path("error").path("reason").asText(), false));
            return;
        }
        JanusEvent event = JanusEvent.fromJson(message);
        CompletableFuture<JanusEvent> reply = event.transaction() == null ? null : pending.remove(event.transaction());
        if (reply != null) {
            JanusReplies.complete(reply, event);
            return;
        }
        // A detached handle is forgotten on Janus's "detached" event, the last one about it.
        JanusHandle handle = "detached".equals(kind) ? handles.remove(event.sender()) : handles.get(event.sender());
        if (handle != null) {
            handle.deliver(event);
        } else {
            unroutedEvents.incrementAndGet();
        }
    }

    private URI sessionUri() {
        return URI.create(api + "/" + id);
    }

    private URI handleUri(long handle) {
        return URI.create(api + "/" + id + "/" + handle);
    }

    static ObjectNode message(String janus) {
        ObjectNode message = JSON.createObjectNode();
        message.put("janus", janus);
        message.put("transaction", "t" + TRANSACTIONS.incrementAndGet());
        return message;
    }
}
