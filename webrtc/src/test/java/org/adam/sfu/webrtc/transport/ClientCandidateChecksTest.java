package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.adam.sfu.webrtc.dtls.DtlsHandshakePool;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceLiteResponder;
import org.adam.sfu.webrtc.ice.IceSession;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunMessageType;
import org.adam.sfu.webrtc.stun.StunMessageWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node checks the candidates a client names, as the controlled agent (a node behind NAT opens
 * its router for the client's checks this way): over real loopback sockets, the check's contents,
 * whose answers count, and the bound on how many addresses one client can make the node check.
 */
class ClientCandidateChecksTest {

    private static final String FINGERPRINT =
            "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";
    private static final IceCredentials CLIENT = new IceCredentials("cl1e", "client-password-client-pwd");

    private MediaWorkers media;
    private MediaServer server;

    @BeforeEach
    void start() throws Exception {
        startNode(true);
    }

    private void startNode(boolean checkClientCandidates) throws Exception {
        if (media != null) {
            media.close();
        }
        media = MediaWorkers.start(new MediaServerConfig(List.of("127.0.0.1", "::1"), 0, List.of("127.0.0.1", "::1"),
                Duration.ofSeconds(30), 1200, Duration.ofSeconds(10), 2_500_000, true,
                DtlsHandshakePool.defaultThreads(), DtlsHandshakePool.DEFAULT_QUEUE,
                MediaServerConfig.DEFAULT_ICE_RESTART_GRACE).withClientChecks(checkClientCandidates), 1);
        server = media.all().get(0);
    }

    @AfterEach
    void stop() {
        media.close();
    }

    private WebRtcTransport transport() {
        WebRtcTransport transport = server.createTransport("test", new TransportListener() {
            @Override
            public void onConnected() {
            }

            @Override
            public void onClosed(String reason) {
            }
        });
        transport.setRemoteParameters(new RemoteParameters(CLIENT.ufrag(), CLIENT.pwd(), FINGERPRINT, DtlsRole.SERVER));
        return transport;
    }

    private static String candidate(InetSocketAddress address) {
        return "candidate:1 1 udp 2122260223 " + address.getAddress().getHostAddress() + " " + address.getPort()
                + " typ host";
    }

    @Test
    void checksANamedCandidateFromTheSocketOfItsFamilyAndCountsOnlyAnswersSignedByTheClient() throws Exception {
        WebRtcTransport transport = transport();
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("::1", 0))) {
            client.setSoTimeout(5000);
            transport.addRemoteCandidate(candidate((InetSocketAddress) client.getLocalSocketAddress()));
            byte[] buffer = new byte[1500];
            DatagramPacket received = new DatagramPacket(buffer, buffer.length);
            client.receive(received);
            StunMessage check = StunMessage.parse(buffer, 0, received.getLength());
            assertThat(check.type()).isEqualTo(StunMessageType.BINDING_REQUEST);
            assertThat(check.username()).isEqualTo(CLIENT.ufrag() + ":" + transport.localParameters().iceUfrag());
            assertThat(check.iceControlled()).as("the node stays the controlled agent").isTrue();
            assertThat(check.useCandidate()).as("and nominates nothing").isFalse();
            assertThat(((InetSocketAddress) received.getSocketAddress()).getPort())
                    .as("sent from the node's media port").isEqualTo(transport.localParameters().candidatePort());

            IceSession clientSide = new IceSession(CLIENT, 30_000);
            clientSide.setRemoteCredentials(transport.localParameters().iceUfrag(), transport.localParameters().icePwd());
            byte[] request = new byte[received.getLength()];
            System.arraycopy(buffer, 0, request, 0, request.length);
            IceLiteResponder.Result answer = new IceLiteResponder().handle(request, 0, request.length,
                    (InetSocketAddress) received.getSocketAddress(), ufrag -> clientSide);
            assertThat(answer.accepted()).as("the check is signed with the client's password").isTrue();

            long droppedBefore = server.counters().droppedStun.sum();
            // The same transaction, well formed, but signed with another password: not the client's answer.
            byte[] forged = new StunMessageWriter(StunMessageType.BINDING_SUCCESS, check.transactionId())
                    .xorMappedAddress((InetSocketAddress) received.getSocketAddress())
                    .encode("not-the-client-password-x".getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
            client.send(new DatagramPacket(forged, forged.length, received.getSocketAddress()));
            awaitCondition(() -> server.counters().droppedStun.sum() == droppedBefore + 1);
            client.send(new DatagramPacket(answer.response(), answer.response().length, received.getSocketAddress()));
            client.send(new DatagramPacket(forged, forged.length, received.getSocketAddress()));
            // Handled in order: when the second forgery is counted, the genuine answer was handled before it.
            awaitCondition(() -> server.counters().droppedStun.sum() >= droppedBefore + 2);
            assertThat(server.counters().droppedStun.sum()).as("the genuine answer is the transport's")
                    .isEqualTo(droppedBefore + 2);
        }
    }

    @Test
    void aClientMakesTheNodeCheckAtMostEightAddresses() throws Exception {
        WebRtcTransport transport = transport();
        List<InetSocketAddress> named = new ArrayList<>();
        for (int port = 50001; port <= 50020; port++) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            named.add(address);
            transport.addRemoteCandidate(candidate(address));
        }
        assertThat(checkedOnceDue(transport, named)).isEqualTo(TransportIceAgent.MAX_CHECKED_CANDIDATES);
        transport.close("test over");
        awaitCondition(() -> checked(transport, named) == 0);
    }

    @Test
    void aNodeThatAnnouncesItsOwnAddressChecksNothingUnlessTold() throws Exception {
        startNode(false);
        WebRtcTransport transport = transport();
        InetSocketAddress named = new InetSocketAddress("127.0.0.1", 50001);
        transport.addRemoteCandidate(candidate(named));
        assertThat(checkedOnceDue(transport, List.of(named))).isZero();
    }

    /** Counted on the media loop once the checks of candidates named so far are due (they wait for the client). */
    private long checkedOnceDue(WebRtcTransport transport, List<InetSocketAddress> addresses) throws Exception {
        java.util.concurrent.CompletableFuture<Long> count = new java.util.concurrent.CompletableFuture<>();
        server.eventLoop().execute(() -> server.eventLoop().schedule(() -> count.complete(
                addresses.stream().filter(a -> server.registry().checking(a).contains(transport)).count()),
                TransportIceAgent.CLIENT_CHECK_DELAY_MILLIS + 50, java.util.concurrent.TimeUnit.MILLISECONDS));
        return count.get();
    }

    private long checked(WebRtcTransport transport, List<InetSocketAddress> addresses) throws Exception {
        java.util.concurrent.CompletableFuture<Long> count = new java.util.concurrent.CompletableFuture<>();
        server.eventLoop().execute(() -> count.complete(
                addresses.stream().filter(a -> server.registry().checking(a).contains(transport)).count()));
        return count.get();
    }

    private static void awaitCondition(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("condition met within 5 s").isLessThan(deadline);
            Thread.sleep(20); // poll interval of a deadline-bounded wait
        }
    }
}
