package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** Writes without a flush stay in the outbound buffer: a peer that does not read, as the channel sees it. */
class SlowReaderGuardTest {

    private static EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel(new SlowReaderGuard(Duration.ofSeconds(10), 4096));
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512, 1024));
        channel.freezeTime();
        return channel;
    }

    @Test
    void stopsReadingWhileUnwritableAndClosesAfterTheStall() {
        EmbeddedChannel channel = channel();
        ChannelFuture queued = channel.write(Unpooled.wrappedBuffer(new byte[2048]));
        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.config().isAutoRead()).as("requests whose answers cannot go out are not read").isFalse();
        channel.advanceTimeBy(9, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(queued.isSuccess()).as("what was queued is dropped").isFalse();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aPeerThatCatchesUpIsReadAgainAndKept() {
        EmbeddedChannel channel = channel();
        channel.write(Unpooled.wrappedBuffer(new byte[2048]));
        assertThat(channel.config().isAutoRead()).isFalse();
        channel.flush();
        ByteBuf sent = channel.readOutbound();
        sent.release();
        assertThat(channel.isWritable()).isTrue();
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.advanceTimeBy(20, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void closesAtOncePastTheMostItHolds() {
        EmbeddedChannel channel = channel();
        channel.write(Unpooled.wrappedBuffer(new byte[4000]));
        channel.write(Unpooled.wrappedBuffer(new byte[200]));
        assertThat(channel.isOpen()).isTrue();
        ByteBuf refused = Unpooled.wrappedBuffer(new byte[10]);
        ChannelFuture write = channel.write(refused);
        assertThat(channel.isOpen()).isFalse();
        assertThat(write.isSuccess()).isFalse();
        assertThat(refused.refCnt()).as("released, not queued").isZero();
        assertThat(channel.finish()).isFalse();
    }
}
