package org.adam.sfu.webrtc.transport;

import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Cuts an ICE-TCP byte stream into packets (RFC 4571: each packet preceded by its length, 16 bits
 * big-endian, so no frame exceeds 65,535 bytes by construction). Each frame is copied into a
 * pooled buffer of its own, as a datagram is on the UDP port, so a packet kept for retransmission
 * never pins the read buffer.
 *
 * <p>The stream is checked before anything is buffered: a length under {@value #MIN_FRAME} or
 * above the current bound, or a first byte that starts none of STUN, DTLS, RTP or RTCP (RFC 7983),
 * closes the connection at once. Until the connection is {@linkplain #authenticate() authenticated}
 * by a valid ICE check, frames must be STUN and at most {@value #MAX_UNAUTHENTICATED_FRAME} bytes,
 * so a stranger (an HTTP or TLS client on the wrong port, a scanner) is refused on its first bytes
 * and never makes the node buffer more than that.
 *
 * <p>One per connection, on its event loop. Frames are passed on (the next handler owns them).
 */
final class IceTcpFrameDecoder extends ChannelInboundHandlerAdapter {

    /** The shortest packet of the four protocols: an RTCP header. */
    static final int MIN_FRAME = 8;
    /** A STUN binding request with ICE's attributes takes 100-200 bytes; allow a path MTU. */
    static final int MAX_UNAUTHENTICATED_FRAME = 1500;
    static final int MAX_FRAME = 0xFFFF;

    /** Counted when a connection is refused here (passed by argument, shared by the node). */
    private final LongAdder refusals;
    private boolean authenticated;
    private boolean refused;
    /** Bytes of the current frame's length prefix read so far (0, 1 or 2), and its value. */
    private int headerBytes;
    private int length;
    /** The frame being filled; allocated here, handed on when full, released if the connection ends first. */
    private ByteBuf frame;

    IceTcpFrameDecoder(LongAdder refusals) {
        this.refusals = refusals;
    }

    /** The peer sent a valid ICE check: it may now send DTLS, SRTP and SRTCP, in frames up to 65,535 bytes. */
    void authenticate() {
        authenticated = true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            while (in.isReadable() && !refused && ctx.channel().isOpen()) {
                if (headerBytes < 2) {
                    length = (length << 8) | in.readUnsignedByte();
                    if (++headerBytes == 2 && (length < MIN_FRAME || length > maxFrame())) {
                        refuse(ctx);
                    }
                    continue;
                }
                if (frame == null) {
                    if (!startsKnownPacket(in.getUnsignedByte(in.readerIndex()))) {
                        refuse(ctx);
                        continue;
                    }
                    frame = ctx.alloc().directBuffer(length);
                }
                frame.writeBytes(in, Math.min(in.readableBytes(), length - frame.writerIndex()));
                if (frame.writerIndex() == length) {
                    ByteBuf complete = frame;
                    frame = null;
                    headerBytes = 0;
                    length = 0;
                    ctx.fireChannelRead(complete);
                }
            }
        } finally {
            in.release();
        }
    }

    private int maxFrame() {
        return authenticated ? MAX_FRAME : MAX_UNAUTHENTICATED_FRAME;
    }

    /** RFC 7983 7: STUN 0..3, DTLS 20..63, RTP and RTCP 128..191; before authentication, STUN only. */
    private boolean startsKnownPacket(int first) {
        if (!authenticated) {
            return first <= 3;
        }
        return first <= 3 || (first >= 20 && first <= 63) || (first >= 128 && first <= 191);
    }

    private void refuse(ChannelHandlerContext ctx) {
        refused = true;
        refusals.increment();
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseFrame();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseFrame();
    }

    private void releaseFrame() {
        if (frame != null) {
            frame.release();
            frame = null;
        }
    }
}
