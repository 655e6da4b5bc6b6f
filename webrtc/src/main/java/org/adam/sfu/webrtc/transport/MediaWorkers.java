package org.adam.sfu.webrtc.transport;

import java.util.ArrayList;
import java.util.List;

import org.adam.sfu.webrtc.dtls.DtlsCertificate;
import org.adam.sfu.webrtc.dtls.DtlsHandshakePool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's data plane: one or more {@link MediaServer} workers, each an event loop with a UDP
 * port of its own (the configured port, the next one, and so on), and every room on exactly one
 * of them (decision 0017). A room's publishers, receivers and pipes then share one loop, so
 * forwarding stays lock-free and never crosses threads, while different rooms run on different
 * cores. One room's fan-out is bounded by one core.
 */
public final class MediaWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaWorkers.class);

    private final List<MediaServer> workers;
    private final MediaCounters counters;
    private final DtlsHandshakePool handshakes;

    private MediaWorkers(List<MediaServer> workers, MediaCounters counters, DtlsHandshakePool handshakes) {
        this.workers = List.copyOf(workers);
        this.counters = counters;
        this.handshakes = handshakes;
    }

    /** Starts {@code count} workers on consecutive ports from {@code config.port()} (each any free port if 0). */
    public static MediaWorkers start(MediaServerConfig config, int count) throws InterruptedException {
        return start(config, count, MediaClock.SYSTEM);
    }

    /** As {@link #start(MediaServerConfig, int)}, every worker reading time from {@code clock}. */
    public static MediaWorkers start(MediaServerConfig config, int count, MediaClock clock)
            throws InterruptedException {
        if (count < 1) {
            throw new IllegalArgumentException("a node needs at least one media worker, not " + count);
        }
        DtlsCertificate certificate = DtlsCertificate.generate();
        DtlsHandshakePool handshakes = new DtlsHandshakePool(config.handshakeThreads(), config.handshakeQueue());
        MediaCounters counters = new MediaCounters();
        PendingTcpConnections pendingTcp = new PendingTcpConnections(config.iceTcp().maxUnauthenticated());
        List<MediaServer> started = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                int port = config.port() == 0 ? 0 : config.port() + i;
                started.add(MediaServer.start(config, i, port, certificate, handshakes, counters, pendingTcp, clock));
            }
        } catch (InterruptedException | RuntimeException e) {
            started.forEach(MediaServer::close);
            handshakes.close();
            throw e;
        }
        LOG.info("{} media worker(s), DTLS certificate sha-256 {}", count, certificate.fingerprintSha256());
        return new MediaWorkers(started, counters, handshakes);
    }

    /** The worker that carries {@code room}'s media on this node; always the same one for a room. */
    public MediaServer forRoom(String room) {
        return workers.get(Math.floorMod(room.hashCode(), workers.size()));
    }

    public List<MediaServer> all() {
        return workers;
    }

    /** Counters of every worker together. */
    public MediaCounters counters() {
        return counters;
    }

    /** The DTLS handshake threads all workers share. */
    public DtlsHandshakePool handshakes() {
        return handshakes;
    }

    /** The first worker's port: the configured media port. */
    public int localPort() {
        return workers.get(0).localPort();
    }

    /** The first worker's ICE-TCP port (worker i listens on this + i), 0 without ICE-TCP. */
    public int iceTcpPort() {
        return workers.get(0).iceTcpPort();
    }

    /** Connected transports of every worker by selected path (at most a second old). Any thread. */
    public TransportPaths transportPaths() {
        TransportPaths paths = TransportPaths.NONE;
        for (MediaServer worker : workers) {
            paths = paths.plus(worker.transportPaths());
        }
        return paths;
    }

    public int transportCount() {
        int count = 0;
        for (MediaServer worker : workers) {
            count += worker.transportCount();
        }
        return count;
    }

    /** The tracks of every worker, as each loop last counted them (at most a second ago). Any thread. */
    public TrackTotals trackTotals() {
        TrackTotals totals = TrackTotals.NONE;
        for (MediaServer worker : workers) {
            totals = totals.plus(worker.trackTotals());
        }
        return totals;
    }

    @Override
    public void close() {
        workers.forEach(MediaServer::close);
        handshakes.close();
    }
}
