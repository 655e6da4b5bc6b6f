package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceSession;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The media port's first stop sorts datagrams by their first byte (RFC 7983): each class goes to
 * the transport that owns the sender's address, and what fits no class or no transport is dropped
 * and counted, never thrown. Datagrams are fed on an {@link EmbeddedChannel}, on the worker's loop
 * (which owns the transports).
 */
class MediaPacketHandlerTest {

    private static final InetSocketAddress KNOWN_PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50001);
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    private MediaWorkers workers;
    private MediaServer server;
    private EmbeddedChannel channel;
    private MediaPacketHandler handler;
    private ChannelHandlerContext context;

    @BeforeEach
    void start() throws Exception {
        workers = MediaWorkers.start(MediaServerConfig.loopback(0), 1);
        server = workers.all().get(0);
        IceCredentials credentials = new IceCredentials("loc1", "local-password-local-password");
        LocalTransportParams local = new LocalTransportParams(credentials.ufrag(), credentials.pwd(), "00",
                "127.0.0.1", server.localPort());
        WebRtcTransport transport = new WebRtcTransport(server, server.channel(), false, "known", false, local,
                new IceSession(credentials, 30_000), new TransportListener() {
                    @Override
                    public void onConnected() {
                    }

                    @Override
                    public void onClosed(String reason) {
                    }
                });
        onLoop(() -> {
            server.registry().register(transport);
            server.registry().bindAddress(KNOWN_PEER, transport);
        });
        handler = new MediaPacketHandler(() -> server);
        channel = new EmbeddedChannel(handler);
        context = channel.pipeline().context(handler);
    }

    @AfterEach
    void stop() {
        channel.finishAndReleaseAll();
        workers.close();
    }

    private void onLoop(Runnable task) throws Exception {
        server.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
    }

    /** One datagram from {@code sender}, handled on the worker's loop as the socket would hand it on. */
    private void feed(InetSocketAddress sender, int... bytes) throws Exception {
        byte[] content = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            content[i] = (byte) bytes[i];
        }
        DatagramPacket datagram = new DatagramPacket(Unpooled.directBuffer().writeBytes(content), LOCAL, sender);
        onLoop(() -> {
            try {
                handler.channelRead(context, datagram);
            } catch (Exception e) {
                throw new AssertionError("the handler threw", e);
            }
        });
    }

    private static long count(LongAdder counter) {
        return counter.sum();
    }

    @Test
    void aDatagramOfNoClassIsDroppedAndCounted() throws Exception {
        MediaCounters counters = server.counters();
        feed(KNOWN_PEER, 70, 0); // 64..127: no protocol of RFC 7983's
        feed(KNOWN_PEER, 250, 0);
        assertThat(count(counters.droppedUnknownClass)).isEqualTo(2);
        assertThat(count(counters.datagramsIn)).isEqualTo(2);
        assertThat((Object) channel.readInbound()).as("nothing passes the handler").isNull();
    }

    @Test
    void aDatagramTooShortToClassifyIsDroppedBeforeItIsCounted() throws Exception {
        feed(KNOWN_PEER, 0x80);
        assertThat(count(server.counters().datagramsIn)).isZero();
        assertThat(count(server.counters().droppedUnknownClass)).isZero();
    }

    @Test
    void rtpRtcpAndDtlsFromAnUnknownSenderAreDroppedAsSuch() throws Exception {
        feed(STRANGER, 0x80, 96); // RTP, payload type 96
        feed(STRANGER, 0x81, 200); // RTCP sender report
        feed(STRANGER, 22, 0xFE, 0xFD); // DTLS handshake record
        assertThat(count(server.counters().droppedUnknownSender)).isEqualTo(3);
        assertThat(count(server.counters().droppedUnknownClass)).isZero();
    }

    @Test
    void rtpAndRtcpFromAKnownPeerReachItsTransportWhichHasNoKeysYet() throws Exception {
        feed(KNOWN_PEER, 0x80, 96);
        feed(KNOWN_PEER, 0x81, 201); // receiver report
        assertThat(count(server.counters().droppedNotConnected)).as("taken by the transport").isEqualTo(2);
        assertThat(count(server.counters().droppedUnknownSender)).isZero();
    }

    @Test
    void dtlsFromAKnownPeerIsTakenByItsTransport() throws Exception {
        feed(KNOWN_PEER, 22, 0xFE, 0xFD);
        feed(KNOWN_PEER, 20, 0xFE, 0xFD); // change_cipher_spec: the low end of the DTLS range
        assertThat(count(server.counters().droppedUnknownSender)).isZero();
        assertThat(count(server.counters().droppedUnknownClass)).isZero();
    }

    @Test
    void aStunRequestNamingNoTransportIsDroppedAndCounted() throws Exception {
        // A Binding request header (type 0x0001, length 0, magic cookie, transaction id): no USERNAME.
        feed(STRANGER, 0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(count(server.counters().droppedStun)).isEqualTo(1);
        assertThat(count(server.counters().stunResponses)).isZero();
    }
}
