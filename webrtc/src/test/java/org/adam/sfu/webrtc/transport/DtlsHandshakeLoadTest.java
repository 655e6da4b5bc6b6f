package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many peers handshaking with one media worker at once, over real UDP on loopback, with
 * BouncyCastle's DTLS client as the peer. The node's threads are read from the JVM: DTLS must
 * not cost a thread per association, neither while handshakes wait for their peers nor after.
 */
class DtlsHandshakeLoadTest {

    private static final int HANDSHAKES = 200;
    /** Short, so that stalled handshakes end soon (a browser's own gives up after about 10 s). */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
    /** The node's handshake threads in these tests, and the one that keeps their deadlines. */
    private static final int HANDSHAKE_THREADS = 4;
    /** Threads the JVM may start meanwhile for its own reasons (JIT compilers, GC). */
    private static final int SLACK = 10;
    /** Peers that run whole handshakes, each on a thread of the test's own (counted in the baseline). */
    private static final int CLIENT_THREADS = 10;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<DtlsTestPeer> peers = new ArrayList<>();
    private ThreadPoolExecutor clients;
    private MediaWorkers media;
    private MediaServer server;
    private InetSocketAddress nodeAddress;

    private void start(Duration handshakeTimeout) throws Exception {
        MediaServerConfig config = new MediaServerConfig("127.0.0.1", 0, "127.0.0.1", Duration.ofSeconds(30), 1200,
                handshakeTimeout, 2_500_000, true, HANDSHAKE_THREADS, 2 * HANDSHAKES);
        media = MediaWorkers.start(config, 1);
        server = media.all().get(0);
        nodeAddress = new InetSocketAddress("127.0.0.1", server.localPort());
        clients = new ThreadPoolExecutor(CLIENT_THREADS, CLIENT_THREADS, 1, TimeUnit.MINUTES,
                new LinkedBlockingQueue<>());
        clients.prestartAllCoreThreads();
    }

    @AfterEach
    void stop() {
        clients.shutdownNow();
        peers.forEach(DtlsTestPeer::close);
        if (media != null) {
            media.close();
        }
    }

    @Test
    void peersThatStallAfterTheClientHelloHoldNoThreadsAndAreDroppedAtTheDeadline() throws Exception {
        start(HANDSHAKE_TIMEOUT);
        byte[] clientHello = DtlsTestPeer.clientHello();
        int baseline = threads.getThreadCount();
        threads.resetPeakThreadCount();

        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < HANDSHAKES; i++) {
            DtlsTestPeer peer = connect("stall-" + i, outcomes);
            if (i % (HANDSHAKES / CLIENT_THREADS) == 0) {
                // A few honest peers among them: they finish, or are dropped like the rest.
                clients.execute(() -> handshakeQuietly(peer));
            } else {
                peer.send(clientHello, nodeAddress);
            }
        }
        // Every handshake ends: completed, or abandoned at its deadline (2 s after it began).
        awaitAll(outcomes, Duration.ofSeconds(20));
        int grown = threads.getPeakThreadCount() - baseline;
        long connected = outcomes.stream().filter(Outcome::connected).count();
        System.out.printf("%d handshakes, %d stalled: %d connected, %d abandoned; node threads grew by at most %d%n",
                HANDSHAKES, HANDSHAKES - CLIENT_THREADS, connected, HANDSHAKES - connected, grown);
        assertThat(outcomes.stream().filter(o -> !o.connected()).map(Outcome::reason))
                .allMatch(reason -> reason.startsWith("DTLS handshake failed"));
        assertThat(grown).as("threads started during %d handshakes", HANDSHAKES)
                .isLessThanOrEqualTo(HANDSHAKE_THREADS + 1 + SLACK);

        // Once they are gone, a call connects as ever.
        List<Outcome> after = new ArrayList<>();
        DtlsTestPeer caller = connect("after", after);
        clients.execute(() -> handshakeQuietly(caller));
        awaitAll(after, Duration.ofSeconds(10));
        assertThat(after.get(0).connected()).as("the call after the flood: %s", after.get(0).reason()).isTrue();
    }

    @Test
    void finishedHandshakesGiveTheirThreadsBack() throws Exception {
        start(Duration.ofSeconds(30));
        int baseline = threads.getThreadCount();
        threads.resetPeakThreadCount();

        List<Outcome> outcomes = new ArrayList<>();
        List<DtlsTestPeer> calls = new ArrayList<>();
        for (int i = 0; i < HANDSHAKES; i++) {
            calls.add(connect("call-" + i, outcomes));
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        calls.forEach(peer -> clients.execute(() -> handshakeQuietly(peer)));
        awaitAll(outcomes, Duration.ofSeconds(120));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long cpuMillis = TimeUnit.NANOSECONDS.toMillis(os.getProcessCpuTime() - cpuBefore);
        int grown = threads.getPeakThreadCount() - baseline;
        System.out.printf("%d DTLS handshakes (peers on %d client threads, node on %d) in %d ms, %d ms of CPU"
                + " (both sides); node threads grew by at most %d, %d after%n", HANDSHAKES, CLIENT_THREADS,
                HANDSHAKE_THREADS, millis, cpuMillis, grown, threads.getThreadCount() - baseline);
        assertThat(outcomes).allMatch(Outcome::connected, "connected");
        assertThat(grown).as("threads started during %d handshakes", HANDSHAKES)
                .isLessThanOrEqualTo(HANDSHAKE_THREADS + 1 + SLACK);
    }

    /** A transport on the node for a new peer, which has passed its ICE check. */
    private DtlsTestPeer connect(String label, List<Outcome> outcomes) throws Exception {
        Outcome outcome = new Outcome();
        outcomes.add(outcome);
        WebRtcTransport transport = server.createTransport(label, outcome);
        DtlsTestPeer peer = new DtlsTestPeer();
        peers.add(peer);
        transport.setRemoteParameters(peer.remoteParameters());
        peer.connectIce(transport.localParameters(), nodeAddress, Duration.ofSeconds(5));
        return peer;
    }

    private void handshakeQuietly(DtlsTestPeer peer) {
        try {
            peer.handshake(nodeAddress, Duration.ofSeconds(30));
        } catch (Exception e) {
            // the node's side says how it ended
        }
    }

    private static void awaitAll(List<Outcome> outcomes, Duration timeout) throws Exception {
        CompletableFuture.allOf(outcomes.stream().map(o -> o.done).toArray(CompletableFuture[]::new))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How the node's side of one transport ended up: connected, or closed and why. */
    private static final class Outcome implements TransportListener {
        final CompletableFuture<String> done = new CompletableFuture<>();

        @Override
        public void onConnected() {
            done.complete("connected");
        }

        @Override
        public void onClosed(String reason) {
            done.complete(reason);
        }

        boolean connected() {
            return "connected".equals(done.getNow(null));
        }

        String reason() {
            return done.getNow("pending");
        }

        @Override
        public String toString() {
            return reason();
        }
    }
}
