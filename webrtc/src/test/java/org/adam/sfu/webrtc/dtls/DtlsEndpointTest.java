package org.adam.sfu.webrtc.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.adam.sfu.webrtc.srtp.SrtpProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two endpoints wired to each other in memory: no sockets, real BouncyCastle handshakes. */
class DtlsEndpointTest {

    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static final class Outcome implements DtlsListener {
        final CompletableFuture<DtlsResult> done = new CompletableFuture<>();

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
        }
    }

    private record Link(DtlsEndpoint server, DtlsEndpoint client, Outcome serverOutcome, Outcome clientOutcome) {
    }

    /** @param drop decides, per datagram sent by either side, whether the wire loses it */
    private Link link(String serverExpects, String clientExpects, int mtu, Predicate<byte[]> drop) {
        DtlsEndpoint[] ends = new DtlsEndpoint[2];
        Outcome serverOutcome = new Outcome();
        Outcome clientOutcome = new Outcome();
        ends[0] = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERT, serverExpects,
                d -> { if (!drop.test(d)) ends[1].onDatagram(d); }, serverOutcome, executor, mtu, Duration.ofSeconds(8));
        ends[1] = new DtlsEndpoint(DtlsRole.CLIENT, CLIENT_CERT, clientExpects,
                d -> { if (!drop.test(d)) ends[0].onDatagram(d); }, clientOutcome, executor, mtu, Duration.ofSeconds(8));
        ends[0].start();
        ends[1].start();
        return new Link(ends[0], ends[1], serverOutcome, clientOutcome);
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
    void fingerprintsCompareCaseInsensitively() {
        String fingerprint = SERVER_CERT.fingerprintSha256();
        assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(DtlsCertificate.fingerprintsMatch(fingerprint, fingerprint.toLowerCase())).isTrue();
        assertThat(DtlsCertificate.fingerprintsMatch(fingerprint, CLIENT_CERT.fingerprintSha256())).isFalse();
        assertThat(DtlsCertificate.fingerprintsMatch(fingerprint, null)).isFalse();
    }
}
