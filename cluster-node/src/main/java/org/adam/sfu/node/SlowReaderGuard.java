package org.adam.sfu.node;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what the node holds for a peer that does not read what it is sent (first in the
 * pipeline, so it sees every write as bytes). Past the channel's high-water mark (it turns
 * unwritable) the node stops reading the peer's requests, whose answers could not go out either;
 * a peer still unwritable after {@code stall}, or whose outbound buffer passes {@code maxPending}
 * meanwhile (events the node sends unasked), is closed, and what was queued for it is dropped.
 */
final class SlowReaderGuard extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SlowReaderGuard.class);

    private final Duration stall;
    private final long maxPending;
    private ScheduledFuture<?> stallCheck;
    private boolean closing;

    SlowReaderGuard(Duration stall, long maxPending) {
        this.stall = stall;
        this.maxPending = maxPending;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable);
        if (!writable && stallCheck == null) {
            stallCheck = ctx.executor().schedule(() -> {
                stallCheck = null;
                if (!ctx.channel().isWritable()) {
                    close(ctx, "its outbound buffer stayed over " + ctx.channel().config().getWriteBufferHighWaterMark()
                            + " bytes for " + stall.toSeconds() + " s");
                }
            }, stall.toMillis(), TimeUnit.MILLISECONDS);
        } else if (writable && stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ChannelOutboundBuffer pending = ctx.channel().unsafe().outboundBuffer();
        if (!closing && pending != null && pending.totalPendingWriteBytes() > maxPending) {
            close(ctx, pending.totalPendingWriteBytes() + " bytes wait for it");
        }
        if (closing) {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
        ctx.fireChannelInactive();
    }

    private void close(ChannelHandlerContext ctx, String how) {
        closing = true;
        LOG.info("closing connection from {}: it does not read what the node sends ({})",
                ctx.channel().remoteAddress(), how);
        ctx.close();
    }
}
