package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.adam.sfu.webrtc.dtls.DtlsHandshakePool;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunMessageType;
import org.adam.sfu.webrtc.stun.StunMessageWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A media worker listening on 127.0.0.1 and ::1 (one port), answering real checks over loopback:
 * each family on its own socket, an ICE restart's old and new credentials, and the grace a
 * client's transport gets when it loses consent.
 */
class IceRestartTransportTest {

    private static final String FINGERPRINT =
            "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";

    private static final Duration CONSENT = Duration.ofSeconds(3);
    private static final Duration GRACE = Duration.ofSeconds(3);

    private final SecureRandom random = new SecureRandom();
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final TransportListener listener = new TransportListener() {
        @Override
        public void onConnected() {
            events.add("connected");
        }

        @Override
        public void onClosed(String reason) {
            events.add("closed: " + reason);
        }

        @Override
        public void onConsentLost() {
            events.add("consent lost");
        }

        @Override
        public void onConsentRestored() {
            events.add("consent restored");
        }
    };
    private MediaWorkers media;
    private MediaServer server;

    @BeforeEach
    void start() throws Exception {
        media = MediaWorkers.start(new MediaServerConfig(List.of("127.0.0.1", "::1"), 0, List.of("127.0.0.1", "::1"),
                CONSENT, 1200, Duration.ofSeconds(10), 2_500_000, true,
                DtlsHandshakePool.defaultThreads(), DtlsHandshakePool.DEFAULT_QUEUE, GRACE), 1);
        server = media.all().get(0);
    }

    @AfterEach
    void stop() {
        media.close();
    }

    private WebRtcTransport transportWithPeer(String remoteUfrag) {
        WebRtcTransport transport = server.createTransport("test", listener);
        transport.setRemoteParameters(new RemoteParameters(remoteUfrag, "remote-password-remote-pwd", FINGERPRINT,
                DtlsRole.SERVER));
        return transport;
    }

    /**
     * Sends a nominating check signed for {@code local}, again every 500 ms as an ICE agent
     * retransmits (the first ones meet a cold JVM), and returns the response, or null if none came.
     */
    private StunMessage check(DatagramSocket from, InetSocketAddress node, LocalTransportParams local,
                              String remoteUfrag) throws Exception {
        return check(from, node, local, remoteUfrag, 6);
    }

    private StunMessage check(DatagramSocket from, InetSocketAddress node, LocalTransportParams local,
                              String remoteUfrag, int attempts) throws Exception {
        byte[] transaction = new byte[12];
        random.nextBytes(transaction);
        byte[] request = new StunMessageWriter(StunMessageType.BINDING_REQUEST, transaction)
                .username(local.iceUfrag() + ":" + remoteUfrag).priority(2130706431L).iceControlling(7L).useCandidate()
                .encode(local.icePwd().getBytes(StandardCharsets.UTF_8), true);
        byte[] buffer = new byte[1500];
        from.setSoTimeout(500);
        for (int i = 0; i < attempts; i++) {
            from.send(new DatagramPacket(request, request.length, node));
            DatagramPacket response = new DatagramPacket(buffer, buffer.length);
            try {
                from.receive(response);
            } catch (SocketTimeoutException e) {
                continue;
            }
            StunMessage message = StunMessage.parse(buffer, 0, response.getLength());
            assertThat(message.sameTransaction(transaction)).isTrue();
            return message;
        }
        return null;
    }

    @Test
    void theNodeAnnouncesAndAnswersBothFamiliesOnOnePort() throws Exception {
        WebRtcTransport transport = transportWithPeer("peer");
        LocalTransportParams local = transport.localParameters();
        assertThat(local.candidateIps()).containsExactly("127.0.0.1", "::1");
        InetSocketAddress v6Node = new InetSocketAddress(InetAddress.getByName("::1"), local.candidatePort());
        InetSocketAddress v4Node = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), local.candidatePort());
        try (DatagramSocket v6 = new DatagramSocket(new InetSocketAddress("::1", 0));
             DatagramSocket v4 = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            StunMessage answer = check(v6, v6Node, local, "peer");
            assertThat(answer).as("answered from ::1").isNotNull();
            assertThat(answer.type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
            assertThat(answer.xorMappedAddress()).isEqualTo(v6.getLocalSocketAddress());
            StunMessage v4Answer = check(v4, v4Node, local, "peer");
            assertThat(v4Answer).as("answered from 127.0.0.1").isNotNull();
            assertThat(v4Answer.xorMappedAddress()).isEqualTo(v4.getLocalSocketAddress());
        }
    }

    @Test
    void oldCredentialsAreAnsweredUntilTheNewOnesAreUsedThenOnlyTheNew() throws Exception {
        WebRtcTransport transport = transportWithPeer("before");
        LocalTransportParams before = transport.localParameters();
        InetSocketAddress node = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), before.candidatePort());
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket moved = new DatagramSocket(new InetSocketAddress("::1", 0))) {
            assertThat(check(client, node, before, "before")).isNotNull();

            LocalTransportParams after = transport.restartIce();
            assertThat(after.iceUfrag()).isNotEqualTo(before.iceUfrag());
            assertThat(after.icePwd()).isNotEqualTo(before.icePwd());
            assertThat(after.fingerprintSha256()).as("DTLS stays").isEqualTo(before.fingerprintSha256());
            assertThat(transport.localParameters()).isEqualTo(after);
            transport.setRemoteParameters(new RemoteParameters("after", "another-remote-password!", FINGERPRINT,
                    DtlsRole.SERVER));

            assertThat(check(client, node, before, "before")).as("old credentials during the restart").isNotNull();
            InetSocketAddress v6Node = new InetSocketAddress(InetAddress.getByName("::1"), after.candidatePort());
            StunMessage renewed = check(moved, v6Node, after, "after");
            assertThat(renewed).as("new credentials, from a new address").isNotNull();
            assertThat(renewed.verifyIntegrity(after.icePwd().getBytes(StandardCharsets.UTF_8))).isTrue();
            assertThat(check(client, node, before, "before", 2)).as("old credentials after the restart").isNull();
            assertThat(check(moved, v6Node, after, "after")).isNotNull();
        }
        assertThat(server.transportCount()).isEqualTo(1);
    }

    @Test
    void aClientThatLosesConsentIsToldAndGetsTheGraceBeforeItsTransportCloses() throws Exception {
        WebRtcTransport transport = server.createTransport("consent", listener);
        InetSocketAddress node = new InetSocketAddress("127.0.0.1", server.localPort());
        try (DtlsTestPeer peer = new DtlsTestPeer()) {
            transport.setRemoteParameters(peer.remoteParameters());
            peer.connectIce(transport.localParameters(), node, Duration.ofSeconds(5));
            peer.handshake(node, Duration.ofSeconds(10));
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("connected");

            // Silence for the consent timeout: the client is told, the transport stays.
            assertThat(events.poll(CONSENT.toMillis() + 3000, TimeUnit.MILLISECONDS)).isEqualTo("consent lost");
            peer.connectIce(transport.localParameters(), node, Duration.ofSeconds(5));
            assertThat(events.poll(2, TimeUnit.SECONDS)).as("checks within the grace").isEqualTo("consent restored");

            assertThat(events.poll(CONSENT.toMillis() + 3000, TimeUnit.MILLISECONDS)).isEqualTo("consent lost");
            long lostAt = System.nanoTime();
            String closed = events.poll(GRACE.toMillis() + 3000, TimeUnit.MILLISECONDS);
            assertThat(closed).startsWith("closed: ICE consent expired");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostAt)).as("not before the grace")
                    .isGreaterThanOrEqualTo(GRACE.toMillis() - 1000);
        }
    }
}
