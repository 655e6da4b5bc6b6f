package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

class AgentChannelsTest {

    /** Stands in for the agent's session at the far end: answers every frame with its text. */
    private static final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            ctx.writeAndFlush(new TextWebSocketFrame(frame.text()));
        }
    }

    @Test
    void openingAnAgentDoesNotWaitForItsChannelAndWhatItSaidMeanwhileArrivesInOrder() throws Exception {
        try (AgentChannels agents = new AgentChannels(Echo::new)) {
            // The agents' loop is busy: the channel cannot connect until it is free again.
            CountDownLatch busy = new CountDownLatch(1);
            agents.loop().execute(() -> {
                try {
                    busy.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
            CompletableFuture<AgentChannels.Agent> opening = CompletableFuture.supplyAsync(
                    () -> agents.open(heard::add, () -> { }));
            AgentChannels.Agent agent = opening.get(2, TimeUnit.SECONDS); // while the loop is still busy
            for (int i = 0; i < 5; i++) {
                agent.send("{\"n\":" + i + "}");
            }
            busy.countDown();
            for (int i = 0; i < 5; i++) {
                assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"n\":" + i + "}");
            }
            agent.close();
        }
    }

    @Test
    void anAgentClosedHereIsReportedClosed() throws Exception {
        try (AgentChannels agents = new AgentChannels(Echo::new)) {
            CountDownLatch closed = new CountDownLatch(1);
            AgentChannels.Agent agent = agents.open(text -> { }, closed::countDown);
            agent.send("{}");
            agent.close();
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
