package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The node's HTTP port over TLS (issue 13, test 5): a node with a certificate from the test's own
 * CA, Chromium pages that trust it only through the certificate's SPKI hash, a call over https and
 * wss decoded both ways; plain HTTP on that port refused; the certificate replaced on disk and
 * served to new connections; a node off loopback without TLS that refuses to start; and
 * `--tls self-signed` made once and kept.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsCallTest {

    private static final int HTTP = 19870;
    private static final int MEDIA = 42870;
    private static final Duration RELOAD_INTERVAL = Duration.ofSeconds(2);
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(40);

    private static TestCertificateAuthority ca;
    private static TestCertificateAuthority.Issued served;
    private static Path certFile;
    private static Path keyFile;
    private static NodeProcess node;
    private static BrowserDriver browser;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificateAuthority.create();
        served = ca.issue("127.0.0.1", "localhost");
        Path dir = Files.createTempDirectory("sfu-tls-");
        certFile = dir.resolve("fullchain.pem");
        keyFile = dir.resolve("privkey.pem");
        served.writeTo(certFile, keyFile);
        node = NodeProcess.startTls("tls", HTTP, MEDIA, ca::sslContext, "--tls-cert", certFile.toString(),
                "--tls-key", keyFile.toString(), "-Dsfu.http.tls.reload-interval=" + RELOAD_INTERVAL.toSeconds() + "s");
        browser = BrowserDriver.startTrustingSpki(List.of(served.spkiSha256Base64()));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }

    private static String roomUrl(String room, String name) {
        return node.url("/?neighbourhood=neighbourhood%3A%2F%2Ftest&room=" + room + "&name=" + name + "&autojoin=1");
    }

    @Test
    @Order(1)
    void twoBrowsersDecodeEachOtherOverHttpsAndWss() throws Exception {
        String room = "tls-" + UUID.randomUUID().toString().substring(0, 8);
        BrowserPage alice = browser.open(room + "-alice", roomUrl(room, "alice"));
        alice.awaitState("joined", Duration.ofSeconds(20));
        // Bob joins a publisher that is already sending, so his first frame measures his own join.
        SingleNodeCallTest.awaitTrue(alice, "window.sfu.outboundStats()"
                + ".then(s => s.some(e => e.bytesSent > 0 && e.frameWidth > 0))", Duration.ofSeconds(20));
        BrowserPage bob = browser.open(room + "-bob", roomUrl(room, "bob"));
        bob.awaitState("joined", Duration.ofSeconds(20));
        for (BrowserPage page : List.of(alice, bob)) {
            assertThat(page.eval("location.protocol").asText()).isEqualTo("https:");
            assertThat(page.eval("window.isSecureContext").asBoolean()).isTrue();
            assertThat(page.eval("window.sfu.signalUrl").asText()).isEqualTo("wss://127.0.0.1:" + HTTP + "/signal");
        }
        String aliceId = alice.participantId();
        String bobId = bob.participantId();

        // Counted from bob's `joined`: his subscribe connection's ICE, DTLS and first keyframe, over wss.
        Map<String, Double> bobFirst = bob.firstVideoFrameMillisSinceJoin(List.of(aliceId), Duration.ofSeconds(20));
        System.out.println("over wss: bob's first decoded frame of alice after joining (ms): " + bobFirst);
        assertThat(bobFirst).containsKey(aliceId);

        List<BrowserPage.Inbound> atAlice = alice.awaitInbound(
                s -> SingleNodeCallTest.receivesFromAll(s, List.of(bobId), 60), MEDIA_TIMEOUT);
        List<BrowserPage.Inbound> atBob = bob.awaitInbound(
                s -> SingleNodeCallTest.receivesFromAll(s, List.of(aliceId), 60), MEDIA_TIMEOUT);
        System.out.println("over wss: alice decodes " + atAlice + "; bob decodes " + atBob);
        assertThat(BrowserPage.videoWidth(atAlice)).isPositive();
        assertThat(BrowserPage.videoWidth(atBob)).isPositive();
        alice.close();
        bob.close();
    }

    @Test
    @Order(2)
    void theTlsPortRefusesPlainHttpAndClientsThatDoNotTrustTheCertificate() throws Exception {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> refused = plain.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + HTTP + "/healthz")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"error\":\"tls-required\"");

        // The JDK's own roots do not know the test CA: the browser's trust came from its SPKI list.
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create(node.url("/healthz")))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
        awaitLogged(node, "TLS handshake with", Duration.ofSeconds(10));

        HttpResponse<String> healthy = node.http().send(HttpRequest.newBuilder(URI.create(node.url("/healthz")))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(healthy.statusCode()).isEqualTo(200);
    }

    /** What other nodes redirect and reconnect clients to: the node's own announcement. */
    @Test
    @Order(2)
    void theNodeAnnouncesItsWssSignalUrl() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String announced = "";
        while (announced.isEmpty() && System.nanoTime() < deadline) {
            JsonNode nodes = new ObjectMapper().readTree(node.http().send(HttpRequest.newBuilder(
                    URI.create(node.url("/admin/nodes"))).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode announce : nodes.path("nodes")) {
                announced = announce.path("signal_url").asText();
            }
            Thread.sleep(250); // poll interval of a deadline-bounded wait
        }
        assertThat(announced).isEqualTo("wss://127.0.0.1:" + HTTP + "/signal");
    }

    @Test
    @Order(3)
    void replacedCertificateFilesReachNewConnectionsWithinTheReloadInterval() throws Exception {
        SSLContext trust = ca.sslContext();
        assertThat(servedCertificate(trust)).isEqualTo(served.certificate());

        // A broken file (a renewal that wrote half a certificate) is logged; the old one stays.
        Files.writeString(certFile, "-----BEGIN CERTIFICATE-----\nMIIB\n");
        awaitLogged(node, "do not load, so the previous certificate stays", RELOAD_INTERVAL.multipliedBy(5));
        assertThat(servedCertificate(trust)).isEqualTo(served.certificate());

        TestCertificateAuthority.Issued renewed = ca.issue("127.0.0.1", "localhost");
        long replacedAt = System.nanoTime();
        renewed.writeTo(certFile, keyFile);
        long deadline = replacedAt + RELOAD_INTERVAL.multipliedBy(3).toNanos();
        X509Certificate seen = servedCertificate(trust);
        while (!seen.equals(renewed.certificate()) && System.nanoTime() < deadline) {
            Thread.sleep(100); // poll interval of a deadline-bounded wait
            seen = servedCertificate(trust);
        }
        System.out.println("renewed certificate served " + (System.nanoTime() - replacedAt) / 1_000_000
                + " ms after the files were replaced (reload interval " + RELOAD_INTERVAL.toMillis() + " ms)");
        assertThat(seen).isEqualTo(renewed.certificate());
        assertThat(node.logged("TLS certificate reloaded from " + certFile)).isTrue();
        assertThat(node.logged(TestCertificateAuthority.fingerprint(renewed.certificate()))).isTrue();
    }

    @Test
    void aNodeOffLoopbackWithoutTlsRefusesToStart() throws Exception {
        Path dataDir = Files.createTempDirectory("sfu-refuse-");
        // 192.0.2.1 (TEST-NET-1) is never bound: the node refuses before it opens any socket.
        NodeProcess.Exit exit = NodeProcess.runToExit(Duration.ofSeconds(60), "--node-id", "refuse",
                "--http-host", "192.0.2.1", "--http-port", "19872", "--media-host", "127.0.0.1", "--media-port", "42872",
                "--data-dir", dataDir.toString());
        assertThat(exit.code()).isNotZero();
        assertThat(exit.text()).contains("would serve 192.0.2.1 in plain HTTP")
                .contains("--tls-cert FILE --tls-key FILE, or --tls self-signed").contains("--insecure-http");
    }

    @Test
    void selfSignedCertificateIsMadeOwnerOnlyPrintedAndKeptAcrossRestarts() throws Exception {
        Path dataDir = Files.createTempDirectory("sfu-self-signed-");
        Path cert = dataDir.resolve("selfsigned").resolve("tls-cert.pem");
        Path key = dataDir.resolve("selfsigned").resolve("tls-key.pem");
        // The certificate exists once the node has made it; until then the health check waits.
        java.util.concurrent.Callable<SSLContext> trustWhatItMade =
                () -> TestCertificateAuthority.trusting(TestCertificateAuthority.readCertificate(cert));
        String[] args = {"--tls", "self-signed", "--data-dir", dataDir.toString()};

        String fingerprint;
        try (NodeProcess first = NodeProcess.startTls("selfsigned", 19871, 42871, trustWhatItMade, args)) {
            for (Path file : List.of(cert, key)) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            }
            X509Certificate made = TestCertificateAuthority.readCertificate(cert);
            fingerprint = TestCertificateAuthority.fingerprint(made);
            assertThat(first.logged("made a self-signed TLS certificate")).isTrue();
            assertThat(first.logged("SHA-256 fingerprint " + fingerprint)).isTrue();
            assertThat(first.logged("SPKI SHA-256 (base64) " + TestCertificateAuthority.spkiHash(made))).isTrue();
            assertThat(first.http().send(HttpRequest.newBuilder(URI.create(first.url("/healthz"))).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        String keptKey = Files.readString(key);

        try (NodeProcess second = NodeProcess.startTls("selfsigned", 19871, 42871, trustWhatItMade, args)) {
            assertThat(second.logged("self-signed TLS certificate: the one kept in " + cert)).isTrue();
            assertThat(second.logged("SHA-256 fingerprint " + fingerprint)).isTrue();
            assertThat(TestCertificateAuthority.fingerprint(TestCertificateAuthority.readCertificate(cert)))
                    .isEqualTo(fingerprint);
            assertThat(Files.readString(key)).isEqualTo(keptKey);
        }
    }

    /** The certificate a new TLS connection to the node is served, verified against {@code trust}. */
    private static X509Certificate servedCertificate(SSLContext trust) throws Exception {
        try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", HTTP)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the name must match too
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static void awaitLogged(NodeProcess node, String fragment, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!node.logged(fragment)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node " + node.nodeId() + " never logged '" + fragment + "' within " + timeout);
            }
            Thread.sleep(100); // poll interval of a deadline-bounded wait
        }
    }
}
