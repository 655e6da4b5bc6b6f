package org.adam.sfu.bench.load.client;

import java.net.InetSocketAddress;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/**
 * Demultiplexes a client socket's datagrams by first byte (RFC 7983 7) into STUN, DTLS and
 * SRTP/SRTCP, and releases every datagram it is given.
 *
 * <p>Thread: the socket's event loop.
 */
final class ClientDatagramDemux extends SimpleChannelInboundHandler<DatagramPacket> {

    /**
     * Where a connection's datagrams go. Each buffer stays the demultiplexer's (released after the call).
     *
     * @param closed whether the connection is closed (its datagrams are dropped)
     * @param srtp   an SRTP or SRTCP packet and when it was received (System.nanoTime)
     * @param error  a datagram whose handling threw
     */
    record Receiver(BooleanSupplier closed, BiConsumer<ByteBuf, InetSocketAddress> stun, Consumer<ByteBuf> dtls,
                    ObjLongConsumer<ByteBuf> srtp, Runnable error) {
    }

    /** The connection's receiver; null until the connection exists (the socket is bound first). */
    private final Supplier<Receiver> receiver;

    ClientDatagramDemux(Supplier<Receiver> receiver) {
        super(true); // the datagram is released when channelRead0 returns
        this.receiver = receiver;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
        Receiver to = receiver.get();
        ByteBuf content = datagram.content();
        if (to == null || to.closed().getAsBoolean() || content.readableBytes() < 2) {
            return;
        }
        int first = content.getUnsignedByte(content.readerIndex());
        if (first <= 3) {
            to.stun().accept(content, datagram.sender());
        } else if (first >= 20 && first <= 63) {
            to.dtls().accept(content);
        } else if (first >= 128 && first <= 191) {
            to.srtp().accept(content, System.nanoTime());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Whatever the receive path queued (feedback) goes out once per read batch.
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // One bad datagram must not end the client; counted and reported with the run's figures.
        Receiver to = receiver.get();
        if (to != null) {
            to.error().run();
        }
    }
}
