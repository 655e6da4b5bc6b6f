package org.adam.sfu.webrtc.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.bouncycastle.tls.ContentType;

import org.adam.sfu.webrtc.srtp.SrtpProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two endpoints wired to each other in memory (each direction delivered by a thread of its own,
 * as a network would): no sockets, real BouncyCastle handshakes on a handshake pool.
 */
class DtlsEndpointTest {

    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private static final Duration TIMEOUT = Duration.ofSeconds(8);
    private final DtlsHandshakePool pool = new DtlsHandshakePool(4, 16);
    private final ExecutorService toClient = Executors.newSingleThreadExecutor();
    private final ExecutorService toServer = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        toClient.shutdownNow();
        toServer.shutdownNow();
        pool.close();
    }

    private static final class Outcome implements DtlsListener {
        final CompletableFuture<DtlsResult> done = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        @Override
        public void onHandshakeComplete(DtlsResult result) {
            done.complete(result);
        }

        @Override
        public void onHandshakeFailed(Throwable cause) {
            done.completeExceptionally(cause);
        }

        @Override
        public void onClosed() {
            closed.complete(null);
        }
    }

    private record Link(DtlsEndpoint server, DtlsEndpoint client, Outcome serverOutcome, Outcome clientOutcome) {
    }

    /** @param drop decides, per datagram sent by either side, whether the wire loses it */
    private Link link(String serverExpects, String clientExpects, int mtu, Predicate<byte[]> drop) {
        return link(serverExpects, clientExpects, mtu, drop, drop, TIMEOUT);
    }

    /** @param dropFromServer, dropFromClient decide per datagram whether the wire loses it */
    private Link link(String serverExpects, String clientExpects, int mtu, Predicate<byte[]> dropFromServer,
                      Predicate<byte[]> dropFromClient, Duration timeout) {
        DtlsEndpoint[] ends = new DtlsEndpoint[2];
        Outcome serverOutcome = new Outcome();
        Outcome clientOutcome = new Outcome();
        ends[0] = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERT, serverExpects, d -> {
            if (!dropFromServer.test(d)) {
                toClient.execute(() -> ends[1].onDatagram(d));
            }
        }, serverOutcome, pool, mtu, timeout);
        ends[1] = new DtlsEndpoint(DtlsRole.CLIENT, CLIENT_CERT, clientExpects, d -> {
            if (!dropFromClient.test(d)) {
                toServer.execute(() -> ends[0].onDatagram(d));
            }
        }, clientOutcome, pool, mtu, timeout);
        ends[0].start();
        ends[1].start();
        return new Link(ends[0], ends[1], serverOutcome, clientOutcome);
    }

    private Link link() {
        return link(CLIENT_CERT.fingerprintSha256(), SERVER_CERT.fingerprintSha256(), 1200, d -> false);
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s", timeout).isLessThan(deadline);
            Thread.sleep(10); // poll interval inside a bounded wait
        }
    }

    @Test
    void handshakeAgreesOnGcmAndTheSameKeyingMaterial() throws Exception {
        Link link = link(CLIENT_CERT.fingerprintSha256(), SERVER_CERT.fingerprintSha256(), 1200, d -> false);
        DtlsResult server = link.serverOutcome().done.get(15, TimeUnit.SECONDS);
        DtlsResult client = link.clientOutcome().done.get(15, TimeUnit.SECONDS);
        assertThat(server.srtpProfileId()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM.id());
        assertThat(client.srtpProfileId()).isEqualTo(server.srtpProfileId());
        assertThat(server.keyingMaterial()).hasSize(SrtpProfile.AEAD_AES_128_GCM.exportLength())
                .isEqualTo(client.keyingMaterial());
        assertThat(server.peerFingerprint()).isEqualTo(CLIENT_CERT.fingerprintSha256());
        assertThat(client.peerFingerprint()).isEqualTo(SERVER_CERT.fingerprintSha256());
        link.server().close();
        link.client().close();
    }

    @Test
    void wrongFingerprintFailsTheHandshake() throws Exception {
        Link link = link(SERVER_CERT.fingerprintSha256(), SERVER_CERT.fingerprintSha256(), 1200, d -> false);
        assertThat(link.serverOutcome().done).failsWithin(Duration.ofSeconds(15));
        link.server().close();
        link.client().close();
    }

    @Test
    void lostFlightsAreRetransmitted() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        Link link = link(CLIENT_CERT.fingerprintSha256(), SERVER_CERT.fingerprintSha256(), 1200,
                d -> sent.incrementAndGet() <= 2);
        assertThat(link.serverOutcome().done.get(20, TimeUnit.SECONDS).keyingMaterial())
                .isEqualTo(link.clientOutcome().done.get(20, TimeUnit.SECONDS).keyingMaterial());
        link.server().close();
        link.client().close();
    }

    @Test
    void smallMtuFragmentsHandshakeMessagesBothWays() throws Exception {
        Link link = link(CLIENT_CERT.fingerprintSha256(), SERVER_CERT.fingerprintSha256(), 300, d -> {
            assertThat(d.length).isLessThanOrEqualTo(300);
            return false;
        });
        assertThat(link.serverOutcome().done.get(15, TimeUnit.SECONDS).keyingMaterial())
                .isEqualTo(link.clientOutcome().done.get(15, TimeUnit.SECONDS).keyingMaterial());
        link.server().close();
        link.client().close();
    }

    @Test
    void garbageDuringTheHandshakeDoesNotBreakIt() throws Exception {
        Link link = link(CLIENT_CERT.fingerprintSha256(), SERVER_CERT.fingerprintSha256(), 1200, d -> false);
        java.util.Random random = new java.util.Random(5764);
        for (int i = 0; i < 50; i++) {
            byte[] garbage = new byte[1 + random.nextInt(200)];
            random.nextBytes(garbage);
            garbage[0] = (byte) (20 + random.nextInt(44));
            link.server().onDatagram(garbage);
        }
        assertThat(link.serverOutcome().done.get(15, TimeUnit.SECONDS)).isNotNull();
        link.server().close();
        link.client().close();
    }

    @Test
    void aFinishedHandshakeGivesItsThreadBackAndStillHearsTheClose() throws Exception {
        Link link = link();
        link.serverOutcome().done.get(15, TimeUnit.SECONDS);
        link.clientOutcome().done.get(15, TimeUnit.SECONDS);
        await(() -> pool.running() == 0, Duration.ofSeconds(5));

        link.client().close(); // close_notify, read by the server on the thread that delivers it
        link.serverOutcome().closed.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aLostLastFlightIsSentAgainAfterTheHandshakeThreadIsGone() throws Exception {
        // The server's ChangeCipherSpec is lost once, so the client cannot read its Finished and
        // sends its own last flight again; the server, done and without a thread, answers it.
        AtomicBoolean lost = new AtomicBoolean();
        Link link = link(CLIENT_CERT.fingerprintSha256(), SERVER_CERT.fingerprintSha256(), 1200,
                d -> d[0] == ContentType.change_cipher_spec && lost.compareAndSet(false, true), d -> false, TIMEOUT);
        DtlsResult server = link.serverOutcome().done.get(15, TimeUnit.SECONDS);
        assertThat(link.clientOutcome().done.get(15, TimeUnit.SECONDS).keyingMaterial())
                .isEqualTo(server.keyingMaterial());
        assertThat(lost).isTrue();
        await(() -> pool.running() == 0, Duration.ofSeconds(5));
        link.server().close();
        link.client().close();
    }

    @Test
    void aPeerThatFallsSilentAfterItsClientHelloIsAbandonedAtTheDeadline() throws Exception {
        AtomicInteger fromClient = new AtomicInteger();
        Link link = link(CLIENT_CERT.fingerprintSha256(), SERVER_CERT.fingerprintSha256(), 1200,
                d -> true, d -> fromClient.incrementAndGet() > 1, Duration.ofSeconds(1));
        assertThat(link.serverOutcome().done).failsWithin(Duration.ofSeconds(5))
                .withThrowableThat().withMessageContaining("not finished within 1000 ms");
        assertThat(link.clientOutcome().done).failsWithin(Duration.ofSeconds(5));
        await(() -> pool.running() == 0, Duration.ofSeconds(5));
        assertThat(pool.abandoned()).isEqualTo(2);
    }

    @Test
    void aServerTakesNoThreadUntilTheClientHello() throws Exception {
        Outcome outcome = new Outcome();
        DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERT, CLIENT_CERT.fingerprintSha256(),
                d -> { }, outcome, pool, 1200, Duration.ofMillis(500));
        server.start();
        // An application-data record (epoch 1) is no way to begin.
        server.onDatagram(new byte[] {23, (byte) 0xFE, (byte) 0xFD, 0, 1, 0, 0, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4});
        assertThat(server.handshakeSubmitted()).isFalse();
        assertThat(server.droppedDatagrams()).isEqualTo(1);
        assertThat(outcome.done).failsWithin(Duration.ofSeconds(5))
                .withThrowableThat().withMessageContaining("not finished within 500 ms");
        assertThat(pool.running()).isZero();
    }

    @Test
    void handshakesBeyondTheThreadsAndTheQueueAreRefused() throws Exception {
        byte[] clientHello = clientHello();
        try (DtlsHandshakePool small = new DtlsHandshakePool(1, 1)) {
            Outcome[] outcomes = new Outcome[3];
            DtlsEndpoint[] servers = new DtlsEndpoint[3];
            for (int i = 0; i < 3; i++) {
                outcomes[i] = new Outcome();
                servers[i] = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERT, CLIENT_CERT.fingerprintSha256(),
                        d -> { }, outcomes[i], small, 1200, TIMEOUT);
                servers[i].start();
                servers[i].onDatagram(clientHello);
            }
            // One runs, one waits for its thread, the third is refused at once.
            assertThat(outcomes[2].done).failsWithin(Duration.ofSeconds(1))
                    .withThrowableThat().withMessageContaining("refused");
            assertThat(small.refused()).isEqualTo(1);
            await(() -> small.running() == 1 && small.waiting() == 1, Duration.ofSeconds(5));
            assertThat(outcomes[0].done).isNotDone();
            assertThat(outcomes[1].done).isNotDone();

            servers[1].close();
            servers[0].close();
            await(() -> small.running() == 0 && small.waiting() == 0, Duration.ofSeconds(5));
        }
    }

    /** The first datagram a client endpoint sends: its ClientHello. */
    private byte[] clientHello() throws Exception {
        CompletableFuture<byte[]> first = new CompletableFuture<>();
        DtlsEndpoint client = new DtlsEndpoint(DtlsRole.CLIENT, CLIENT_CERT, SERVER_CERT.fingerprintSha256(),
                first::complete, new Outcome(), pool, 1200, TIMEOUT);
        client.start();
        byte[] hello = first.get(5, TimeUnit.SECONDS);
        client.close();
        assertThat(DtlsEndpoint.startsWithClientHello(hello)).isTrue();
        return hello;
    }

    @Test
    void fingerprintsCompareCaseInsensitively() {
        String fingerprint = SERVER_CERT.fingerprintSha256();
        assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(DtlsCertificate.fingerprintsMatch(fingerprint, fingerprint.toLowerCase())).isTrue();
        assertThat(DtlsCertificate.fingerprintsMatch(fingerprint, CLIENT_CERT.fingerprintSha256())).isFalse();
        assertThat(DtlsCertificate.fingerprintsMatch(fingerprint, null)).isFalse();
    }
}
