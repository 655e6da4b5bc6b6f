package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A pipe's own UDP socket is bound without anyone waiting for it, and a failed bind is an answer. */
class PipeSocketBindTest {

    private static final TransportListener NO_EVENTS = new TransportListener() {
        @Override
        public void onConnected() {
        }

        @Override
        public void onClosed(String reason) {
        }
    };

    private MediaWorkers media;
    private MediaServer server;

    @BeforeEach
    void start() throws Exception {
        media = MediaWorkers.start(MediaServerConfig.loopback(0), 1);
        server = media.all().get(0);
    }

    @AfterEach
    void stop() {
        if (media != null) {
            media.close();
        }
    }

    @Test
    void askingForAPipeOnTheMediaLoopDoesNotWaitForItsSocket() throws Exception {
        // On the loop itself a wait for the bind would stall every call the loop carries (Netty
        // refuses it outright); the answer must come as a future.
        CompletableFuture<CompletableFuture<WebRtcTransport>> asked = new CompletableFuture<>();
        server.eventLoop().execute(() -> {
            try {
                asked.complete(server.createPipeTransport("pipe on the loop", NO_EVENTS));
            } catch (RuntimeException e) {
                asked.completeExceptionally(e);
            }
        });
        WebRtcTransport pipe = asked.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        assertThat(pipe.isPipe()).isTrue();
        assertThat(pipe.localParameters().candidatePort()).isPositive().isNotEqualTo(server.localPort());
        assertThat(server.transportCount()).isEqualTo(1);
        pipe.close("test over");
    }

    @Test
    void aPipeSocketThatCannotBeBoundFailsItsFutureAndLeavesNothingBehind() throws Exception {
        // The worker's own port is taken (by the worker): the bind fails on the loop, not in the caller.
        InetSocketAddress taken = new InetSocketAddress("127.0.0.1", server.localPort());
        CompletableFuture<CompletableFuture<WebRtcTransport>> asked = new CompletableFuture<>();
        server.eventLoop().execute(() -> asked.complete(server.createPipeTransport("pipe", taken, NO_EVENTS)));
        assertThat(asked.get(5, TimeUnit.SECONDS)).failsWithin(Duration.ofSeconds(5))
                .withThrowableThat().withMessageContaining("already in use");
        assertThat(server.transportCount()).isZero();

        // The worker goes on: the next pipe binds.
        WebRtcTransport pipe = server.createPipeTransport("next pipe", NO_EVENTS).get(5, TimeUnit.SECONDS);
        assertThat(pipe.localParameters().candidatePort()).isPositive();
        pipe.close("test over");
    }

    @Test
    void aPipeAskedOfAStoppedWorkerFailsAtOnce() throws Exception {
        media.close();
        media = null;
        assertThat(server.eventLoop().terminationFuture().await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(server.createPipeTransport("too late", NO_EVENTS)).isCompletedExceptionally();
    }
}
