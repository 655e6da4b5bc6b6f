package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceSession;
import org.adam.sfu.webrtc.ice.IceSessions;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the media port's first stop (RFC 7983 demultiplexing in
 * {@link MediaPacketHandler}) on a real media worker bound to loopback: datagrams from a peer the
 * port knows (a transport with fixed ICE credentials, so seeds can carry valid checks) and from
 * strangers, of every class. The contract: the handler never throws, and every datagram's buffer
 * is released or handed on, never leaked.
 */
class MediaDemultiplexerFuzzTest {

    private static final InetSocketAddress KNOWN_PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50001);
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    private static MediaWorkers workers;
    private static MediaServer server;
    private static EmbeddedChannel channel;
    private static MediaPacketHandler handler;
    private static ChannelHandlerContext context;

    @BeforeAll
    static void startWorker() throws InterruptedException {
        workers = MediaWorkers.start(MediaServerConfig.loopback(0), 1);
        server = workers.all().get(0);
        IceSession ice = new IceSession(new IceCredentials(IceSessions.FUZZ_UFRAG, IceSessions.FUZZ_PASSWORD), 30_000);
        LocalTransportParams local = new LocalTransportParams(IceSessions.FUZZ_UFRAG, IceSessions.FUZZ_PASSWORD,
                "00", "127.0.0.1", server.localPort());
        WebRtcTransport transport = new WebRtcTransport(server, server.channel(), false, "fuzz", false, local, ice,
                new TransportListener() {
                    @Override
                    public void onConnected() {
                    }

                    @Override
                    public void onClosed(String reason) {
                    }
                });
        server.registry().register(transport);
        server.registry().bindAddress(KNOWN_PEER, transport);
        handler = new MediaPacketHandler(() -> server);
        channel = new EmbeddedChannel(handler);
        context = channel.pipeline().context(handler);
    }

    @AfterAll
    static void stopWorker() {
        channel.finishAndReleaseAll();
        workers.close();
    }

    @FuzzTest
    void demultiplexesEveryDatagramWithoutThrowingOrLeaking(FuzzedDataProvider data) throws Exception {
        // The transport's state belongs to the media loop: the datagrams are handled there.
        server.eventLoop().submit(() -> {
            while (data.remainingBytes() > 0) {
                InetSocketAddress sender = data.consumeBoolean() ? KNOWN_PEER : STRANGER;
                byte[] bytes = data.consumeBytes(data.consumeInt(0, 1500));
                ByteBuf content = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
                DatagramPacket datagram = new DatagramPacket(content, LOCAL, sender);
                handler.channelRead0(context, datagram);
                assertThat(content.refCnt()).as("datagram buffer released or handed on").isZero();
            }
            handler.channelReadComplete(context);
            for (Object reply; (reply = channel.readOutbound()) != null; ) {
                ((DatagramPacket) reply).release();
            }
            return null;
        }).get(10, TimeUnit.SECONDS);
    }
}
