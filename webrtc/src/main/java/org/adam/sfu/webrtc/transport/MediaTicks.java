package org.adam.sfu.webrtc.transport;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import org.adam.sfu.webrtc.forward.MediaRouter;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.speaker.SpeakerDetection;

/**
 * A media worker's periodic work: every 50 ms ICE checks, probe pacing, bandwidth reallocation
 * and deferred keyframe requests; every second consent, receiver reports and the metrics
 * snapshots; every 300 ms the dominant speaker decisions. Time comes from the worker's clock.
 *
 * <p>Threading: the ticks run on the worker's media event loop, which owns every transport they
 * touch; the snapshots are written there and read from any thread.
 */
final class MediaTicks {

    /** Period of ICE checks, probe pacing and bandwidth reallocation. */
    static final long TICK_NANOS = 50_000_000L;

    private final TransportRegistry registry;
    private final MediaRouter router;
    private final SpeakerDetection speakers;
    private final MediaClock clock;
    /** The worker's relay on the node's TURN server, or null. */
    private final NodeRelay relay;
    /** Ends a tick's sends: flushes every socket of the worker. */
    private final Runnable flushAll;
    private ScheduledFuture<?> housekeeping;
    private ScheduledFuture<?> checks;
    private ScheduledFuture<?> speakerDecisions;
    /** Written by the loop each second, read by anyone. */
    private volatile TransportPaths transportPaths = TransportPaths.NONE;
    /** Written by the loop each second, read by anyone. */
    private volatile TrackTotals trackTotals = TrackTotals.NONE;

    MediaTicks(TransportRegistry registry, MediaRouter router, SpeakerDetection speakers, MediaClock clock,
               NodeRelay relay, Runnable flushAll) {
        this.registry = registry;
        this.router = router;
        this.speakers = speakers;
        this.clock = clock;
        this.relay = relay;
        this.flushAll = flushAll;
    }

    /** Schedules the ticks on {@code loop}. */
    void start(EventLoop loop) {
        housekeeping = loop.scheduleAtFixedRate(this::housekeeping, 1, 1, TimeUnit.SECONDS);
        checks = loop.scheduleAtFixedRate(this::pollChecks, 50, 50, TimeUnit.MILLISECONDS);
        speakerDecisions = loop.scheduleAtFixedRate(
                () -> speakers.evaluate(clock.nanos() / 1_000_000), 300, 300, TimeUnit.MILLISECONDS);
    }

    void cancel() {
        housekeeping.cancel(false);
        checks.cancel(false);
        speakerDecisions.cancel(false);
    }

    private void pollChecks() {
        long nowMillis = clock.millis();
        long nowNanos = clock.nanos();
        if (relay != null) {
            relay.poll(nowMillis);
        }
        for (WebRtcTransport transport : registry.all()) {
            transport.connectivity().pollChecks(nowMillis);
            transport.media().tickBandwidth(nowNanos, TICK_NANOS);
            transport.media().flushKeyframeRequests(nowNanos);
        }
        flushAll.run();
    }

    private void housekeeping() {
        long nowMillis = clock.millis();
        long nowNanos = clock.nanos();
        for (WebRtcTransport transport : registry.all()) {
            transport.checkLiveness(nowMillis);
            transport.media().sendReceiverReports(nowNanos);
        }
        flushAll.run();
        countTracks();
        countPaths();
    }

    private void countPaths() {
        int udp = 0;
        int tcp = 0;
        int relayed = 0;
        for (WebRtcTransport transport : registry.all()) {
            switch (transport.connectivity().selectedPath()) {
                case UDP -> udp++;
                case TCP -> tcp++;
                case RELAY -> relayed++;
                default -> { }
            }
        }
        transportPaths = new TransportPaths(udp, tcp, relayed);
    }

    /** The forwarders' counters are the loop's: counted here, published as a snapshot. */
    private void countTracks() {
        int tracks = 0;
        long receivers = 0;
        long lost = 0;
        for (TrackForwarder forwarder : router.all()) {
            tracks++;
            receivers += forwarder.receiverCount();
            lost += forwarder.statistics().cumulativeLost();
        }
        trackTotals = new TrackTotals(tracks, receivers, lost);
    }

    /** Connected transports by selected path, as the loop last counted them. Any thread. */
    TransportPaths transportPaths() {
        return transportPaths;
    }

    /** Tracks as the loop last counted them (at most a second ago). Any thread. */
    TrackTotals trackTotals() {
        return trackTotals;
    }
}
