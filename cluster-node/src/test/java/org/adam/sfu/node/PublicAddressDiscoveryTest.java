package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;

import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunMessageType;
import org.adam.sfu.webrtc.stun.StunMessageWriter;
import org.junit.jupiter.api.Test;

/** {@code --public-ip auto}'s STUN query, against a STUN responder on loopback run by the test. */
class PublicAddressDiscoveryTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void learnsTheAddressAndPortTheServerSees() throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            Thread responder = new Thread(() -> answerOnce(server), "stun-responder");
            responder.start();
            InetSocketAddress local = new InetSocketAddress(LOOPBACK, freePort());
            InetSocketAddress mapped = PublicAddressDiscovery.discover(local,
                    (InetSocketAddress) server.getLocalSocketAddress(), Duration.ofSeconds(5));
            assertThat(mapped).isEqualTo(local);
            responder.join(5000);
        }
    }

    @Test
    void givesUpWithinItsBoundWhenNobodyAnswers() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> PublicAddressDiscovery.discover(new InetSocketAddress(LOOPBACK, 0),
                    (InetSocketAddress) silent.getLocalSocketAddress(), Duration.ofMillis(700)))
                    .isInstanceOf(PublicAddressDiscovery.Failed.class)
                    .hasMessageContaining("within 700 ms");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).isBetween(650L, 3_000L);
        }
    }

    @Test
    void parsesServerSettings() throws Exception {
        assertThat(PublicAddressDiscovery.parseServer("127.0.0.1:3478"))
                .isEqualTo(new InetSocketAddress(LOOPBACK, 3478));
        assertThat(PublicAddressDiscovery.parseServer("[::1]:3478"))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 3478));
        for (String bad : new String[] {"", "127.0.0.1", "127.0.0.1:", ":3478", "127.0.0.1:0", "127.0.0.1:70000",
                "127.0.0.1:x"}) {
            assertThatThrownBy(() -> PublicAddressDiscovery.parseServer(bad)).as(bad)
                    .isInstanceOf(PublicAddressDiscovery.Failed.class);
        }
    }

    /** Answers one Binding request with the sender's address, as a STUN server does. */
    private static void answerOnce(DatagramSocket server) {
        try {
            byte[] buffer = new byte[1500];
            DatagramPacket request = new DatagramPacket(buffer, buffer.length);
            server.setSoTimeout(5000);
            server.receive(request);
            StunMessage message = StunMessage.parse(buffer, 0, request.getLength());
            byte[] answer = new StunMessageWriter(StunMessageType.BINDING_SUCCESS, message.transactionId())
                    .xorMappedAddress((InetSocketAddress) request.getSocketAddress()).encode(null, true);
            server.send(new DatagramPacket(answer, answer.length, request.getSocketAddress()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws SocketException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return probe.getLocalPort();
        }
    }
}
