package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.adam.sfu.webrtc.ice.IceConnectivityChecker;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunMessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node's passive ICE-TCP candidate over real TCP on loopback: a peer that knows a transport's
 * credentials connects, is answered, and completes DTLS through the connection; strangers are
 * closed on their first bytes, at the authentication deadline, or at once when the node already
 * holds as many unauthenticated connections as it allows.
 */
class IceTcpListenerTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private MediaWorkers media;
    private MediaServer server;
    private InetSocketAddress tcpAddress;

    private void start(IceTcpSettings settings) throws Exception {
        media = MediaWorkers.start(MediaServerConfig.loopback(0).withIceTcp(settings), 1);
        server = media.all().get(0);
        tcpAddress = new InetSocketAddress("127.0.0.1", server.iceTcpPort());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        if (media != null) {
            media.close();
        }
    }

    private FramedTcpPeer connect() throws Exception {
        FramedTcpPeer peer = new FramedTcpPeer(tcpAddress);
        closeables.add(peer);
        return peer;
    }

    @Test
    void aPeerChecksConnectsDtlsAndLosesThePathWhenItCloses() throws Exception {
        start(new IceTcpSettings(0, 4, Duration.ofSeconds(2), 2));
        Outcome outcome = new Outcome();
        WebRtcTransport transport = server.createTransport("tcp-peer", outcome);
        assertThat(transport.localParameters().tcpCandidatePort()).isEqualTo(server.iceTcpPort()).isPositive();
        DtlsTestPeer browser = new DtlsTestPeer();
        closeables.add(browser);
        transport.setRemoteParameters(browser.remoteParameters());

        FramedTcpPeer tcp = connect();
        StunMessage answer = checkUntilAnswered(tcp, browser.iceCredentials(), transport);
        assertThat(answer.type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
        assertThat(answer.xorMappedAddress().getPort()).as("the peer's own TCP port").isPositive();

        browser.handshake(tcp.datagramTransport(), Duration.ofSeconds(10));
        assertThat(outcome.done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("connected");
        await(() -> server.transportPaths().tcp() == 1, "the transport counted on TCP");
        assertThat(server.transportPaths().udp()).isZero();
        assertThat(server.counters().tcpFramesIn.sum()).isGreaterThanOrEqualTo(3);

        tcp.close();
        await(() -> server.transportPaths().tcp() == 0, "the closed connection no longer the path");
        assertThat(server.transportPaths().udp()).as("nothing selected instead").isZero();
        await(() -> server.counters().tcpConnectionsOpen.sum() == 0, "the connection counted closed");
    }

    @Test
    void anHttpRequestOnTheTcpPortIsClosedOnItsFirstBytes() throws Exception {
        start(new IceTcpSettings(0, 4, Duration.ofSeconds(30), 2));
        FramedTcpPeer stranger = connect();
        stranger.sendRaw("GET / HTTP/1.1\r\nHost: node\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(stranger.awaitClosedByNode(WAIT)).isTrue();
        assertThat(server.counters().tcpConnectionsGarbage.sum()).isEqualTo(1);
    }

    @Test
    void anOversizedFrameIsClosedBeforeItIsBuffered() throws Exception {
        start(new IceTcpSettings(0, 4, Duration.ofSeconds(30), 2));
        FramedTcpPeer stranger = connect();
        stranger.sendRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, 0, 1, 0, 0});
        assertThat(stranger.awaitClosedByNode(WAIT)).isTrue();
        assertThat(server.counters().tcpConnectionsGarbage.sum()).isEqualTo(1);
    }

    @Test
    void aCheckForNoTransportOfThisNodeIsClosed() throws Exception {
        start(new IceTcpSettings(0, 4, Duration.ofSeconds(30), 2));
        IceConnectivityChecker checker = new IceConnectivityChecker(IceCredentials.random(RANDOM),
                IceCredentials.random(RANDOM), tcpAddress, RANDOM);
        FramedTcpPeer stranger = connect();
        stranger.sendFrame(checker.poll(System.currentTimeMillis()));
        assertThat(stranger.awaitClosedByNode(WAIT)).isTrue();
        assertThat(stranger.nextFrame(Duration.ZERO)).as("no answer to a scanner").isNull();
    }

    @Test
    void aConnectionThatSendsNoValidCheckIsClosedAtTheDeadline() throws Exception {
        start(new IceTcpSettings(0, 4, Duration.ofMillis(500), 2));
        FramedTcpPeer slow = connect();
        slow.sendRaw(new byte[] {0}); // half a length prefix, then nothing: slowloris
        long started = System.nanoTime();
        assertThat(slow.awaitClosedByNode(WAIT)).isTrue();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("ICE-TCP: a connection without a valid check closed after %d ms (deadline 500 ms)%n", millis);
        await(() -> server.counters().tcpConnectionsUnauthenticated.sum() == 1, "counted as unauthenticated");
    }

    @Test
    void beyondTheUnauthenticatedBoundNewConnectionsAreClosedAndPlacesComeBack() throws Exception {
        start(new IceTcpSettings(0, 4, Duration.ofSeconds(30), 2));
        List<FramedTcpPeer> idle = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            idle.add(connect());
        }
        await(() -> server.counters().tcpConnectionsOpen.sum() == 4, "four connections accepted");
        FramedTcpPeer fifth = connect();
        assertThat(fifth.awaitClosedByNode(WAIT)).as("the fifth unauthenticated connection").isTrue();
        assertThat(server.counters().tcpConnectionsRefused.sum()).isEqualTo(1);
        assertThat(idle).noneMatch(FramedTcpPeer::closedByNode);

        for (FramedTcpPeer peer : idle) {
            peer.close();
        }
        await(() -> server.counters().tcpConnectionsOpen.sum() == 0, "the idle ones closed");
        Outcome outcome = new Outcome();
        WebRtcTransport transport = server.createTransport("after", outcome);
        DtlsTestPeer browser = new DtlsTestPeer();
        closeables.add(browser);
        transport.setRemoteParameters(browser.remoteParameters());
        assertThat(checkUntilAnswered(connect(), browser.iceCredentials(), transport).type())
                .isEqualTo(StunMessageType.BINDING_SUCCESS);
    }

    @Test
    void aTransportTakesNoMoreConnectionsThanItsBound() throws Exception {
        start(new IceTcpSettings(0, 8, Duration.ofSeconds(30), 2));
        WebRtcTransport transport = server.createTransport("bounded", new Outcome());
        DtlsTestPeer browser = new DtlsTestPeer();
        closeables.add(browser);
        transport.setRemoteParameters(browser.remoteParameters());
        FramedTcpPeer first = connect();
        FramedTcpPeer second = connect();
        checkUntilAnswered(first, browser.iceCredentials(), transport);
        checkUntilAnswered(second, browser.iceCredentials(), transport);
        FramedTcpPeer third = connect();
        checkUntilAnswered(third, browser.iceCredentials(), transport);
        assertThat(third.awaitClosedByNode(WAIT)).as("a third connection for one transport").isTrue();
        assertThat(first.closedByNode() || second.closedByNode()).isFalse();
    }

    @Test
    void aNominatedTcpPairDoesNotDisplaceALiveUdpPath() throws Exception {
        start(new IceTcpSettings(0, 4, Duration.ofSeconds(30), 2));
        Outcome outcome = new Outcome();
        WebRtcTransport transport = server.createTransport("both", outcome);
        DtlsTestPeer browser = new DtlsTestPeer();
        closeables.add(browser);
        transport.setRemoteParameters(browser.remoteParameters());
        InetSocketAddress udp = new InetSocketAddress("127.0.0.1", server.localPort());
        browser.connectIce(transport.localParameters(), udp, WAIT);
        browser.handshake(udp, Duration.ofSeconds(10));
        assertThat(outcome.done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("connected");

        // A client whose every check nominates (aggressive nomination) also checks the TCP pair.
        checkUntilAnswered(connect(), browser.iceCredentials(), transport);
        // The check was handled on the loop before its answer was sent; this task runs after it.
        assertThat(server.eventLoop().submit(() -> transport.connectivity().selectedPath())
                .get(5, TimeUnit.SECONDS))
                .isEqualTo(TransportPaths.Path.UDP);
    }

    @Test
    void aUdpCheckTakesTheSelectionFromATcpConnectionNobodyNominatedSoDtlsOverUdpConnects() throws Exception {
        start(new IceTcpSettings(0, 4, Duration.ofSeconds(30), 2));
        Outcome outcome = new Outcome();
        WebRtcTransport transport = server.createTransport("tcp-first", outcome);
        DtlsTestPeer browser = new DtlsTestPeer();
        closeables.add(browser);
        transport.setRemoteParameters(browser.remoteParameters());
        // A browser with both paths: its TCP check happens to arrive first, and nothing is nominated yet.
        checkUntilAnswered(connect(), browser.iceCredentials(), transport, IceConnectivityChecker.Role.CONTROLLED);
        InetSocketAddress udp = new InetSocketAddress("127.0.0.1", server.localPort());
        browser.connectIce(transport.localParameters(), udp, WAIT, IceConnectivityChecker.Role.CONTROLLED);
        // Its DTLS goes over UDP, the pair it found working first.
        browser.handshake(udp, Duration.ofSeconds(5));
        assertThat(outcome.done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("connected");
        assertThat(server.eventLoop().submit(() -> transport.connectivity().selectedPath())
                .get(5, TimeUnit.SECONDS))
                .isEqualTo(TransportPaths.Path.UDP);
    }

    /** Sends checks (with USE-CANDIDATE, as a controlling browser) until the node answers one. */
    private StunMessage checkUntilAnswered(FramedTcpPeer tcp, IceCredentials peer, WebRtcTransport transport)
            throws Exception {
        return checkUntilAnswered(tcp, peer, transport, IceConnectivityChecker.Role.CONTROLLING);
    }

    /** Sends checks until the node answers one; a CONTROLLED peer's checks nominate nothing. */
    private StunMessage checkUntilAnswered(FramedTcpPeer tcp, IceCredentials peer, WebRtcTransport transport,
                                           IceConnectivityChecker.Role role) throws Exception {
        IceConnectivityChecker checker = new IceConnectivityChecker(peer,
                new IceCredentials(transport.localParameters().iceUfrag(), transport.localParameters().icePwd()),
                tcpAddress, RANDOM, role);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            byte[] check = checker.poll(System.currentTimeMillis());
            if (check != null) {
                tcp.sendFrame(check);
            }
            byte[] frame = tcp.nextFrame(Duration.ofMillis(50));
            if (frame != null) {
                StunMessage response = StunMessage.parse(frame, 0, frame.length);
                if (checker.onResponse(response, tcpAddress)) {
                    return response;
                }
            }
        }
        throw new AssertionError("the node did not answer a check over TCP within " + WAIT);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(20); // the poll interval of a deadline-bounded wait
        }
    }

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
    }
}
