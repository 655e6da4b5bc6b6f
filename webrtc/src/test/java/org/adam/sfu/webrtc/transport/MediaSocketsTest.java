package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import io.netty.channel.embedded.EmbeddedChannel;
import org.adam.sfu.webrtc.dtls.DtlsHandshakePool;
import org.junit.jupiter.api.Test;

/** Which of a worker's sockets reaches an address, and the flush that ends a read batch. */
class MediaSocketsTest {

    @Test
    void flushAllFlushesTheMediaSocketsAndEveryOpenPipeSocket() {
        EmbeddedChannel media = new EmbeddedChannel();
        EmbeddedChannel pipe = new EmbeddedChannel();
        MediaSockets sockets = new MediaSockets(List.of(media), null);
        sockets.addPipeSocket(pipe);
        media.write("to a client");
        pipe.write("to a node");
        assertThat((Object) media.readOutbound()).as("queued, not flushed").isNull();
        sockets.flushAll();
        assertThat((Object) media.readOutbound()).isEqualTo("to a client");
        assertThat((Object) pipe.readOutbound()).isEqualTo("to a node");
        assertThat(sockets.first()).isSameAs(media);
        media.finishAndReleaseAll();
        pipe.finishAndReleaseAll();
    }

    @Test
    void anAddressIsReachedFromTheSocketOfItsFamily() throws Exception {
        MediaWorkers workers = MediaWorkers.start(new MediaServerConfig(List.of("127.0.0.1", "::1"), 0,
                List.of("127.0.0.1", "::1"), Duration.ofSeconds(30), 1200, Duration.ofSeconds(10), 2_500_000, true,
                DtlsHandshakePool.defaultThreads(), DtlsHandshakePool.DEFAULT_QUEUE,
                MediaServerConfig.DEFAULT_ICE_RESTART_GRACE), 1);
        try {
            MediaServer server = workers.all().get(0);
            InetSocketAddress v4 = (InetSocketAddress) server.socketFor(new InetSocketAddress("192.0.2.1", 9))
                    .localAddress();
            InetSocketAddress v6 = (InetSocketAddress) server.socketFor(new InetSocketAddress("2001:db8::1", 9))
                    .localAddress();
            assertThat(v4.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(v6.getAddress().getHostAddress()).isIn("0:0:0:0:0:0:0:1", "::1");
            assertThat(v4.getPort()).isEqualTo(v6.getPort());
        } finally {
            workers.close();
        }
    }
}
