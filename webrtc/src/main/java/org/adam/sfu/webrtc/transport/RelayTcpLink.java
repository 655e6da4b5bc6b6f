package org.adam.sfu.webrtc.transport;

import java.net.InetSocketAddress;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.adam.sfu.webrtc.stun.StunParseException;
import org.adam.sfu.webrtc.turn.TurnStreamFramer;

/**
 * A media worker's TCP connection to its TURN server (RFC 8656 3.1), for a node whose UDP does not
 * get out: the stream is split into STUN messages and ChannelData frames (decision 0026), each
 * handed on in a pooled buffer. Runs on the worker's event loop, where its listener is called.
 */
final class RelayTcpLink {

    interface Listener {
        void onConnected();

        /** One STUN message or ChannelData frame from the server (owned by the callee). */
        void onFrame(ByteBuf frame);

        /** A read batch ended: what the frames made the worker send may be flushed. */
        void onReadComplete();

        /** The connection failed or closed (called once). */
        void onClosed(String why);
    }

    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final Listener listener;
    private final TurnStreamFramer framer = new TurnStreamFramer();
    /** What one read hands the framer, reused: the framer keeps what it needs. */
    private final byte[] scratch = new byte[16 * 1024];
    private Channel channel;
    private boolean ended;

    private RelayTcpLink(Listener listener) {
        this.listener = listener;
    }

    static RelayTcpLink connect(EventLoop loop, InetSocketAddress server, Listener listener) {
        RelayTcpLink link = new RelayTcpLink(listener);
        ChannelFuture connect = new Bootstrap().group(loop)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(link.new Reader());
                    }
                })
                .connect(server);
        link.channel = connect.channel();
        connect.addListener(done -> {
            if (done.isSuccess()) {
                listener.onConnected();
            } else {
                link.end("could not connect: " + done.cause().getMessage());
            }
        });
        link.channel.closeFuture().addListener(closed -> link.end("connection closed"));
        return link;
    }

    /** Sends one frame (STUN, or ChannelData already padded to 4 bytes). Takes ownership. */
    void write(ByteBuf frame) {
        if (ended || !channel.isActive()) {
            frame.release();
            return;
        }
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    void close() {
        channel.close();
    }

    /** Connecting or connected: not failed or closed. */
    boolean isOpen() {
        return !ended;
    }

    private void end(String why) {
        if (!ended) {
            ended = true;
            listener.onClosed(why);
        }
    }

    private final class Reader extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                while (in.isReadable()) {
                    int length = Math.min(in.readableBytes(), scratch.length);
                    in.readBytes(scratch, 0, length);
                    framer.feed(scratch, 0, length, (buffer, offset, frameLength) ->
                            listener.onFrame(ctx.alloc().directBuffer(frameLength).writeBytes(buffer, offset, frameLength)));
                }
            } catch (StunParseException broken) {
                // Not TURN: nothing after it can be framed either.
                ctx.close();
                end("the server sent what is neither STUN nor ChannelData: " + broken.getMessage());
            } finally {
                in.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            listener.onReadComplete();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
            end(cause.getMessage());
        }
    }
}
