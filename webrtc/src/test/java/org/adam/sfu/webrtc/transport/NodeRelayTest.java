package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.adam.sfu.webrtc.turn.SimulatedTurnServer;
import org.adam.sfu.webrtc.turn.TurnCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A media worker's relay against a simulated TURN server: it allocates, lets a client's candidate
 * in with a channel, hands what that peer sends through the relay to the socket's classification
 * (ChannelData in place, Data indications copied), sends back through it, and drops what no
 * candidate named or what does not fit its datagram.
 */
class NodeRelayTest {

    private static final InetSocketAddress SERVER = SimulatedTurnServer.address("192.0.2.1", 3478);
    private static final InetSocketAddress PEER = SimulatedTurnServer.address("198.51.100.20", 40000);
    private static final InetSocketAddress STRANGER = SimulatedTurnServer.address("198.51.100.66", 40000);

    private final SimulatedTurnServer server = new SimulatedTurnServer("node", "secret");
    private final EmbeddedChannel socket = new EmbeddedChannel();
    private final MediaCounters counters = new MediaCounters();
    private final NodeRelay relay = new NodeRelay(
            new NodeRelaySettings(SERVER, () -> new TurnCredentials("node", "secret")), socket, new SecureRandom(),
            counters, MediaClock.SYSTEM);
    private final List<String> relayed = new ArrayList<>();
    private final NodeRelay.RelayedSink sink = (content, peer, key) -> {
        relayed.add(NodeRelay.isPathKey(key) + " " + key.getHostString() + ":" + key.getPort() + " from " + peer
                + " " + ByteBufUtil.hexDump(content));
        content.release();
    };

    @BeforeEach
    void allocate() throws Exception {
        relay.start(0);
        exchange();
        assertThat(relay.relayedAddress()).isEqualTo(SimulatedTurnServer.RELAYED);
    }

    @AfterEach
    void release() {
        socket.finishAndReleaseAll();
    }

    /** Answers what the relay sent the server, until it sends nothing more. */
    private void exchange() throws Exception {
        socket.flush();
        DatagramPacket out;
        while ((out = socket.readOutbound()) != null) {
            assertThat(out.recipient()).isEqualTo(SERVER);
            byte[] request = ByteBufUtil.getBytes(out.content());
            out.release();
            byte[] answer = server.answer(request);
            if (answer != null) {
                relay.onDatagram(Unpooled.wrappedBuffer(answer), 0, sink);
            }
            socket.flush();
        }
    }

    private static ByteBuf channelData(int channel, byte[] payload, int declaredLength) {
        return Unpooled.buffer().writeShort(channel).writeShort(declaredLength).writeBytes(payload);
    }

    @Test
    void aNamedCandidateGetsAChannelAndItsDatagramsReachTheSocketsClassification() throws Exception {
        assertThat(relay.permit(PEER, 0)).isTrue();
        exchange();
        assertThat(server.log).contains("channel-bind");
        relay.onDatagram(channelData(0x4000, new byte[] {0x16, (byte) 0xfe, 0x01}, 3), 0, sink);
        assertThat(relayed).containsExactly("true relay:198.51.100.20:40000 from " + PEER + " 16fe01");

        relay.write(PEER, Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0x60}));
        socket.flush();
        DatagramPacket sent = socket.readOutbound();
        assertThat(sent.recipient()).isEqualTo(SERVER);
        assertThat(ByteBufUtil.hexDump(sent.content())).isEqualTo("400000028060");
        sent.release();
        assertThat(counters.relayDatagramsIn.sum()).isEqualTo(1);
        assertThat(counters.relayDatagramsOut.sum()).isEqualTo(1);
    }

    @Test
    void dataIndicationsArePassedOnForNamedPeersOnly() throws Exception {
        relay.permit(PEER, 0);
        exchange();
        relay.onDatagram(Unpooled.wrappedBuffer(SimulatedTurnServer.dataIndication(PEER, new byte[] {0x00, 0x01})), 0,
                sink);
        relay.onDatagram(Unpooled.wrappedBuffer(SimulatedTurnServer.dataIndication(STRANGER, new byte[] {0x00, 0x01})),
                0, sink);
        relay.onDatagram(Unpooled.wrappedBuffer(SimulatedTurnServer.dataIndication(PEER, new byte[] {0x00})), 0, sink);
        assertThat(relayed).containsExactly("true relay:198.51.100.20:40000 from " + PEER + " 0001");
        assertThat(counters.droppedUnknownSender.sum()).isEqualTo(2);
    }

    @Test
    void channelDataOnAnUnboundChannelOrLongerThanItsDatagramIsDropped() throws Exception {
        relay.permit(PEER, 0);
        exchange();
        relay.onDatagram(channelData(0x4001, new byte[] {1, 2, 3}, 3), 0, sink);
        relay.onDatagram(channelData(0x4000, new byte[] {1, 2, 3}, 200), 0, sink);
        relay.onDatagram(channelData(0x4000, new byte[] {1}, 1), 0, sink);
        relay.onDatagram(Unpooled.wrappedBuffer(new byte[] {0x40, 0x00}), 0, sink);
        assertThat(relayed).isEmpty();
        assertThat(counters.droppedUnknownSender.sum()).isEqualTo(4);
    }

    @Test
    void aReleasedPeerIsNoLongerLetIn() throws Exception {
        relay.permit(PEER, 0);
        relay.permit(PEER, 0); // two transports named it
        exchange();
        relay.release(PEER);
        relay.onDatagram(channelData(0x4000, new byte[] {0x16, 0x00}, 2), 0, sink);
        assertThat(relayed).hasSize(1);
        relay.release(PEER);
        relay.onDatagram(channelData(0x4000, new byte[] {0x16, 0x00}, 2), 0, sink);
        assertThat(relayed).as("gone with the last transport that named it").hasSize(1);
    }

    @Test
    void peersAreBounded() {
        for (int i = 0; i < RelayPeers.MAX_PEERS; i++) {
            assertThat(relay.permit(SimulatedTurnServer.address("10.0." + (i / 250) + "." + (i % 250 + 1), 5000), 0))
                    .isTrue();
        }
        assertThat(relay.permit(PEER, 0)).isFalse();
    }
}
