package org.adam.sfu.bench.load.signal;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.adam.sfu.bench.janus.JanusEvent;
import org.adam.sfu.bench.janus.JanusException;
import org.adam.sfu.bench.janus.JanusSession;
import org.adam.sfu.bench.janus.JanusVideoRoomClient;
import org.adam.sfu.bench.janus.JanusVideoRoomClient.Feed;
import org.adam.sfu.bench.janus.JanusVideoRoomClient.Publisher;
import org.adam.sfu.bench.janus.JanusVideoRoomClient.Subscriber;
import org.adam.sfu.bench.janus.Jsep;

/**
 * Janus's VideoRoom (1.x, HTTP API) as the SFU under test. Each participant is one Janus
 * session with a publisher handle in the room (a room per scenario room name, created on first
 * use with an id derived from the name); {@code publish} is {@code configure} with the offer.
 * It receives on one multistream subscriber handle: the feeds others publish (listed when it
 * joined and in later publisher events) are added to it as they appear, each change giving a
 * Janus offer that goes to the {@link SubscribeOfferHandler} and whose answer goes back with
 * {@code start}. Candidates are in the SDP on both sides ({@code trickle: false}).
 *
 * <p>Janus refuses (428) a subscription to a feed whose publisher is not connected yet: feeds
 * published through this generator are added once their publisher's {@code webrtcup} came, and
 * any refusal is retried a little later. {@code set-quality} picks the simulcast substream
 * (high 2, medium 1, low 0) on the subscriber's video streams; Janus never tells publishers
 * which layers are received, so {@code onPublishLayers} is never called.
 */
public final class JanusSignalling implements SfuSignalling {

    private static final long TIMEOUT_SECONDS = 20;
    private static final long RETRY_MILLIS = 250;
    private static final int MAX_RETRIES = 80;
    private static final int ROOM_PUBLISHERS = 500;

    private final URI api;
    private final Executor offers;
    private final HttpClient http = JanusVideoRoomClient.httpClient();
    private final JanusSession.Options options = JanusSession.Options.defaults();
    private final Map<String, CompletableFuture<Long>> rooms = new ConcurrentHashMap<>();
    /** Feeds published by this generator's participants: completes when the publisher is up. */
    private final Map<Long, CompletableFuture<Void>> localFeeds = new ConcurrentHashMap<>();

    /**
     * @param api    the Janus API, e.g. {@code http://10.250.0.1:8088/janus}
     * @param offers where Janus's subscriber offers are answered (off the HTTP client's threads)
     */
    public JanusSignalling(URI api, Executor offers) {
        this.api = api;
        this.offers = offers;
    }

    @Override
    public String sfuName() {
        return "janus";
    }

    @Override
    public SfuSession join(String room, String displayName, SubscribeOfferHandler subscribeOffers)
            throws SignallingException {
        long roomId = room(room);
        JanusVideoRoomClient client = await(JanusVideoRoomClient.connect(http, api, options), "open a Janus session");
        try {
            Publisher publisher = await(client.joinAsPublisher(roomId, displayName), "join room " + roomId);
            Session session = new Session(client, publisher, subscribeOffers, displayName);
            publisher.handle().addListener(session::onPublisherEvent);
            session.feedsAppeared(publisher.others());
            return session;
        } catch (SignallingException e) {
            client.close();
            throw e;
        }
    }

    /** The Janus room for a scenario's room name, created by the first participant to join it. */
    private long room(String name) throws SignallingException {
        CompletableFuture<Long> room = rooms.computeIfAbsent(name, n -> JanusVideoRoomClient.connect(http, api, options)
                .thenCompose(client -> client.createRoom(JanusVideoRoomClient.RoomSettings.opusVp8(roomId(n),
                        ROOM_PUBLISHERS)).whenComplete((id, failure) -> client.close())));
        return await(room, "create room " + name);
    }

    /** A stable numeric id per name, below 2^52 so that JSON numbers carry it exactly. */
    static long roomId(String name) {
        return (UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits() >>> 12) | 1;
    }

    private static <T> T await(CompletableFuture<T> future, String what) throws SignallingException {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new SignallingException("Janus: cannot " + what + ": " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new SignallingException("Janus: cannot " + what + ": " + e, e);
        }
    }

    private static Throwable unwrap(Throwable failure) {
        while ((failure instanceof CompletionException || failure instanceof ExecutionException)
                && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }

    private final class Session implements SfuSession {
        private final JanusVideoRoomClient client;
        private final Publisher publisher;
        private final SubscribeOfferHandler subscribeOffers;
        private final String name;
        /** Feeds seen in the room (every one is subscribed once). */
        private final Set<Long> known = ConcurrentHashMap.newKeySet();
        /** Feeds ready to be added to the subscriber handle at the next step. */
        private final Set<Long> ready = new LinkedHashSet<>();
        /** Subscription changes run one at a time: Janus negotiates one offer per handle at once. */
        private CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        /** Set and read on the chain only (and read by setQuality). */
        private volatile Subscriber subscriber;
        private volatile int substream = -1;
        private volatile boolean leaving;

        Session(JanusVideoRoomClient client, Publisher publisher, SubscribeOfferHandler subscribeOffers, String name) {
            this.client = client;
            this.publisher = publisher;
            this.subscribeOffers = subscribeOffers;
            this.name = name;
        }

        @Override
        public String publish(String offerSdp) throws SignallingException {
            // Known before Janus can announce the feed to anyone.
            localFeeds.put(publisher.feedId(), publisher.handle().webrtcUp());
            Jsep answer = await(client.publish(publisher, Jsep.offer(offerSdp, false)), "publish");
            return answer.sdp();
        }

        @Override
        public void setQuality(String quality) throws SignallingException {
            substream = switch (quality) {
                case "high" -> 2;
                case "medium" -> 1;
                case "low" -> 0;
                case "auto" -> -1;
                default -> throw new SignallingException("unknown quality " + quality);
            };
            Subscriber current = subscriber;
            if (current != null && substream >= 0) {
                await(client.chooseSubstream(current.handle(), videoMids(current), substream), "choose a substream");
            }
        }

        @Override
        public void onPublishLayers(Consumer<Map<String, Boolean>> listener) {
            // Janus does not say which simulcast layers anyone receives.
        }

        /** On the session's event thread: must not block. */
        void onPublisherEvent(JanusEvent event) {
            if ("event".equals(event.janus())) {
                feedsAppeared(JanusVideoRoomClient.publishersIn(event));
            }
        }

        void feedsAppeared(List<Feed> feeds) {
            for (Feed feed : feeds) {
                if (feed.id() == publisher.feedId() || !known.add(feed.id())) {
                    continue;
                }
                CompletableFuture<Void> up = localFeeds.getOrDefault(feed.id(), CompletableFuture.completedFuture(null));
                up.orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((ok, failure) -> {
                    // A feed whose publisher never came up is still tried: Janus has the last word.
                    synchronized (ready) {
                        ready.add(feed.id());
                    }
                    step(0);
                });
            }
        }

        /** Queues one subscription change: adds whatever feeds are ready by the time it runs. */
        private void step(int attempt) {
            synchronized (this) {
                chain = chain.thenCompose(ignored -> addReadyFeeds(attempt)).exceptionally(failure -> null);
            }
        }

        private CompletableFuture<Void> addReadyFeeds(int attempt) {
            List<Long> batch;
            synchronized (ready) {
                batch = new ArrayList<>(ready);
                ready.clear();
            }
            if (batch.isEmpty() || leaving) {
                return CompletableFuture.completedFuture(null);
            }
            Subscriber current = subscriber;
            CompletableFuture<Subscriber> offered = current == null
                    ? client.subscribe(publisher.room(), batch, publisher.privateId())
                    : client.addFeeds(current, batch);
            return offered.thenCompose(this::answer).handle((ok, failure) -> {
                if (failure != null && !leaving) {
                    retryLater(batch, attempt, unwrap(failure));
                }
                return null;
            });
        }

        /** Answers Janus's offer through the client (off the HTTP threads) and sends it with start. */
        private CompletableFuture<Void> answer(Subscriber offered) {
            if (subscriber == null) {
                offered.handle().addListener(this::onSubscriberEvent);
            }
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return subscribeOffers.answer(offered.offer().sdp());
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, offers).thenCompose(answerSdp -> client.start(offered, Jsep.answer(answerSdp, false)))
                    .thenCompose(started -> {
                        subscriber = offered;
                        int layer = substream;
                        return layer < 0 ? CompletableFuture.<Void>completedFuture(null)
                                : client.chooseSubstream(offered.handle(), videoMids(offered), layer);
                    });
        }

        /**
         * Janus renegotiates on its own when a feed it forwards goes away (an "updated" event with
         * an offer): answered in turn like the others, unless we are leaving ourselves.
         */
        private void onSubscriberEvent(JanusEvent event) {
            Subscriber current = subscriber;
            if (event.jsep() == null || !event.jsep().isOffer() || current == null || leaving) {
                return;
            }
            Subscriber offered = new Subscriber(current.handle(), current.room(), current.feeds(), event.jsep(),
                    event.data().path("streams"));
            synchronized (this) {
                chain = chain.thenCompose(ignored -> leaving ? CompletableFuture.<Void>completedFuture(null)
                        : answer(offered)).exceptionally(failure -> null);
            }
        }

        private void retryLater(List<Long> batch, int attempt, Throwable cause) {
            boolean notYet = cause instanceof JanusException janus
                    && janus.code() == JanusException.VIDEOROOM_NO_SUCH_FEED;
            if (attempt >= MAX_RETRIES || !(notYet || attempt < 3)) {
                System.err.println("load: " + name + " could not subscribe to feeds " + batch + " on Janus: " + cause);
                return;
            }
            synchronized (ready) {
                ready.addAll(batch);
            }
            CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS).execute(() -> step(attempt + 1));
        }

        private static List<String> videoMids(Subscriber subscriber) {
            List<String> mids = new ArrayList<>();
            for (JsonNode stream : subscriber.streams()) {
                if ("video".equals(stream.path("type").asText())) {
                    mids.add(stream.path("mid").asText());
                }
            }
            return mids;
        }

        @Override
        public void close() {
            leaving = true;
            localFeeds.remove(publisher.feedId());
            client.close();
        }
    }
}
