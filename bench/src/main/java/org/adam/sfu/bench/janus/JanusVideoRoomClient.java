package org.adam.sfu.bench.janus;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The VideoRoom plugin ({@code janus.plugin.videoroom}, multistream API of Janus 1.x) over one
 * {@link JanusSession}: what a benchmark client needs to publish and to subscribe.
 *
 * <pre>
 * publish:   attach, {"request":"join","ptype":"publisher"}      -> "joined" (feed id)
 *            {"request":"configure"} + JSEP offer                -> "event" "configured" + JSEP answer
 * subscribe: attach, {"request":"join","ptype":"subscriber","streams":[{"feed":id}, ...]}
 *                                                                -> "attached" + JSEP offer
 *            {"request":"start"} + JSEP answer                   -> "event" "started"
 * more:      {"request":"subscribe","streams":[{"feed":id}, ...]} -> "event" "updated" + JSEP offer
 *            {"request":"start"} + JSEP answer                   -> "event" "started"
 * layer:     {"request":"configure","streams":[{"mid":m,"substream":0..2}]}
 * </pre>
 *
 * One subscriber handle (one peer connection) may carry the streams of many feeds (the
 * multistream subscriptions of Janus 1.x); every change of them is a new offer from Janus.
 *
 * Each publisher and each subscriber is its own handle (its own peer connection). Candidates
 * are given in the SDP or trickled on the handle ({@link JanusHandle#trickle},
 * {@link JanusHandle#trickleCompleted}). Every method is asynchronous and bounded by the
 * session's {@link JanusSession.Options}; failures are {@link JanusException} (Janus refused)
 * or the HTTP client's I/O and timeout exceptions.
 */
public final class JanusVideoRoomClient implements AutoCloseable {

    public static final String PLUGIN = "janus.plugin.videoroom";

    /**
     * Settings of a room created through the API ({@code "create"}, not permanent).
     *
     * @param bitrate    the cap Janus sends publishers in REMB, bits per second (0: none)
     * @param publishers how many may publish at once
     */
    public record RoomSettings(long room, int publishers, long bitrate, String audioCodec, String videoCodec,
                               int firFrequencySeconds) {

        /** Opus and VP8, room for {@code publishers}, 2.5 Mbit/s per publisher. */
        public static RoomSettings opusVp8(long room, int publishers) {
            return new RoomSettings(room, publishers, 2_500_000, "opus", "vp8", 10);
        }
    }

    /** A feed published in a room: its id (to subscribe to), display name and streams. */
    public record Feed(long id, String display, JsonNode streams) {
    }

    /**
     * A publisher that joined a room but has not necessarily sent its offer yet.
     *
     * @param feedId    the id others subscribe to
     * @param privateId Janus's private id of this participant (optional in subscriber joins)
     * @param others    feeds already published in the room when it joined
     */
    public record Publisher(JanusHandle handle, long room, long feedId, long privateId, List<Feed> others) {
    }

    /**
     * A subscriber handle and Janus's latest offer for its feeds (answer it with {@link #start}).
     *
     * @param streams Janus's list of the handle's streams (mid, feed_id, type ...) with that offer
     */
    public record Subscriber(JanusHandle handle, long room, List<Long> feeds, Jsep offer, JsonNode streams) {
    }

    private final JanusSession session;

    private JanusVideoRoomClient(JanusSession session) {
        this.session = session;
    }

    /** Opens a Janus session for one client, e.g. on {@code http://10.250.0.1:8088/janus}. */
    public static CompletableFuture<JanusVideoRoomClient> connect(HttpClient http, URI api, JanusSession.Options options) {
        return JanusSession.create(http, api, options).thenApply(JanusVideoRoomClient::new);
    }

    /** An HTTP/1.1 client suitable for the Janus API (libmicrohttpd; no HTTP/2 upgrade). */
    public static HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    public JanusSession session() {
        return session;
    }

    /**
     * Creates a room, or accepts an existing one with the same id; completes with the room id.
     * Uses a short-lived handle of its own.
     */
    public CompletableFuture<Long> createRoom(RoomSettings settings) {
        ObjectNode create = body("create");
        create.put("room", settings.room());
        create.put("permanent", false);
        create.put("description", "sfubench " + settings.room());
        create.put("is_private", false);
        create.put("publishers", settings.publishers());
        create.put("bitrate", settings.bitrate());
        create.put("fir_freq", settings.firFrequencySeconds());
        create.put("audiocodec", settings.audioCodec());
        create.put("videocodec", settings.videoCodec());
        create.put("notify_joining", false);
        return withControlHandle(handle -> handle.message(create, null).handle((event, failure) -> {
            if (failure == null) {
                return event.data().path("room").asLong(settings.room());
            }
            if (unwrap(failure) instanceof JanusException janus && janus.code() == JanusException.VIDEOROOM_ROOM_EXISTS) {
                return settings.room();
            }
            throw new CompletionException(unwrap(failure));
        }));
    }

    /** Whether a room exists (for rooms configured in janus.plugin.videoroom.jcfg). */
    public CompletableFuture<Boolean> roomExists(long room) {
        ObjectNode exists = body("exists");
        exists.put("room", room);
        return withControlHandle(handle -> handle.message(exists, null)
                .thenApply(event -> event.data().path("exists").asBoolean()));
    }

    /** Joins a room as a publisher on a new handle. */
    public CompletableFuture<Publisher> joinAsPublisher(long room, String display) {
        ObjectNode join = body("join");
        join.put("ptype", "publisher");
        join.put("room", room);
        join.put("display", display);
        return session.attach(PLUGIN).thenCompose(handle -> handle.message(join, null).thenApply(event ->
                new Publisher(handle, room, event.data().path("id").asLong(),
                        event.data().path("private_id").asLong(), publishersIn(event))));
    }

    /**
     * The feeds a publisher handle's event lists: those in the room when it joined
     * ({@code joined}) and those published since ({@code event} with {@code publishers}).
     */
    public static List<Feed> publishersIn(JanusEvent event) {
        List<Feed> feeds = new ArrayList<>();
        for (JsonNode feed : event.data().path("publishers")) {
            feeds.add(new Feed(feed.path("id").asLong(), feed.path("display").asText(""), feed.path("streams")));
        }
        return List.copyOf(feeds);
    }

    /**
     * Publishes: sends the client's offer ({@code configure} with audio and video on) and
     * completes with Janus's answer.
     */
    public CompletableFuture<Jsep> publish(Publisher publisher, Jsep offer) {
        ObjectNode configure = body("configure");
        configure.put("audio", true);
        configure.put("video", true);
        return publisher.handle().message(configure, offer).thenApply(event -> requireJsep(event, "answer"));
    }

    /** Joins as publisher and publishes in one go; the answer is in the returned pair. */
    public CompletableFuture<PublishedFeed> joinAndPublish(long room, String display, Jsep offer) {
        return joinAsPublisher(room, display)
                .thenCompose(publisher -> publish(publisher, offer).thenApply(answer -> new PublishedFeed(publisher, answer)));
    }

    /** A publisher together with Janus's answer to its offer. */
    public record PublishedFeed(Publisher publisher, Jsep answer) {
    }

    /**
     * Subscribes to one feed on a new handle and completes with Janus's offer for it.
     *
     * @param privateId the subscribing participant's own publisher {@code private_id}, or 0
     */
    public CompletableFuture<Subscriber> subscribe(long room, long feed, long privateId) {
        return subscribe(room, List.of(feed), privateId);
    }

    /**
     * Subscribes to every stream of {@code feeds} on one new handle and completes with Janus's
     * offer for them all. Janus refuses (428) a feed whose publisher is not connected yet.
     *
     * @param privateId the subscribing participant's own publisher {@code private_id}, or 0
     */
    public CompletableFuture<Subscriber> subscribe(long room, List<Long> feeds, long privateId) {
        ObjectNode join = body("join");
        join.put("ptype", "subscriber");
        join.put("room", room);
        if (privateId != 0) {
            join.put("private_id", privateId);
        }
        ArrayNode streams = join.putArray("streams");
        feeds.forEach(feed -> streams.addObject().put("feed", feed));
        return session.attach(PLUGIN).thenCompose(handle -> handle.message(join, null)
                .whenComplete((event, failure) -> {
                    if (failure != null) {
                        handle.detach();
                    }
                })
                .thenApply(event -> new Subscriber(handle, room, List.copyOf(feeds), requireJsep(event, "offer"),
                        event.data().path("streams"))));
    }

    /**
     * Adds every stream of {@code feeds} to a started subscriber ({@code subscribe}); completes
     * with Janus's new offer for the handle's streams, to answer with {@link #start}.
     */
    public CompletableFuture<Subscriber> addFeeds(Subscriber subscriber, List<Long> feeds) {
        ObjectNode subscribe = body("subscribe");
        ArrayNode streams = subscribe.putArray("streams");
        feeds.forEach(feed -> streams.addObject().put("feed", feed));
        return subscriber.handle().message(subscribe, null).thenApply(event -> {
            List<Long> all = new ArrayList<>(subscriber.feeds());
            all.addAll(feeds);
            return new Subscriber(subscriber.handle(), subscriber.room(), List.copyOf(all),
                    requireJsep(event, "offer"), event.data().path("streams"));
        });
    }

    /**
     * Chooses the simulcast layer ({@code substream} 0 lowest to 2 highest) Janus forwards on
     * each of the given subscriber mids.
     */
    public CompletableFuture<Void> chooseSubstream(JanusHandle subscriberHandle, List<String> mids, int substream) {
        ObjectNode configure = body("configure");
        ArrayNode streams = configure.putArray("streams");
        mids.forEach(mid -> streams.addObject().put("mid", mid).put("substream", substream));
        return subscriberHandle.message(configure, null).thenAccept(event -> { });
    }

    /**
     * Answers a subscriber's offer, the first or a renegotiation ({@code start}); completes when
     * Janus accepted it.
     */
    public CompletableFuture<Void> start(Subscriber subscriber, Jsep answer) {
        return subscriber.handle().message(body("start"), answer).thenAccept(event -> {
            // The first answer is "started": "ok"; later ones may be acknowledged with an "updated" or "event".
            if (event.data().has("started") && !"ok".equals(event.data().path("started").asText())) {
                throw new JanusException(-1, "start not acknowledged: " + event.data(), true);
            }
        });
    }

    /** Leaves the room on a publisher or subscriber handle ({@code leave}), then detaches it. */
    public CompletableFuture<Void> leave(JanusHandle handle) {
        return handle.message(body("leave"), null).handle((event, failure) -> null)
                .thenCompose(ignored -> handle.detach());
    }

    /** Destroys the session: every handle and peer connection of this client ends. */
    @Override
    public void close() {
        session.close();
    }

    private <T> CompletableFuture<T> withControlHandle(Function<JanusHandle, CompletableFuture<T>> request) {
        return session.attach(PLUGIN).thenCompose(handle -> request.apply(handle)
                .whenComplete((result, failure) -> handle.detach()));
    }

    private static Jsep requireJsep(JanusEvent event, String type) {
        if (event.jsep() == null || !type.equals(event.jsep().type())) {
            throw new JanusException(-1, "expected a JSEP " + type + " in " + event.raw(), true);
        }
        return event.jsep();
    }

    private static ObjectNode body(String request) {
        ObjectNode body = JanusSession.JSON.createObjectNode();
        body.put("request", request);
        return body;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
