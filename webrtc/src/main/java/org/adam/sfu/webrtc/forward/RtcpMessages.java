package org.adam.sfu.webrtc.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.adam.sfu.webrtc.rtcp.RtcpWriter;

/** RTCP the node originates towards a transport's peer, in pooled buffers the transport then owns. */
final class RtcpMessages {

    /** SSRC the node uses as RTCP sender on every leg (RFC 4585 allows any; receivers only match media SSRCs). */
    static final int NODE_RTCP_SSRC = 1;
    private static final int SRTCP_ROOM = 32;

    private RtcpMessages() {
    }

    /** @return a new buffer from {@code pool} the caller passes to the transport's sendRtcp */
    static ByteBuf pli(ByteBufAllocator pool, int mediaSsrc) {
        ByteBuf out = pool.directBuffer(12 + SRTCP_ROOM);
        RtcpWriter.pli(out, NODE_RTCP_SSRC, mediaSsrc);
        return out;
    }

    static ByteBuf fir(ByteBufAllocator pool, int mediaSsrc, int commandSequence) {
        ByteBuf out = pool.directBuffer(20 + SRTCP_ROOM);
        RtcpWriter.fir(out, NODE_RTCP_SSRC, mediaSsrc, commandSequence);
        return out;
    }

    static ByteBuf nack(ByteBufAllocator pool, int mediaSsrc, int[] lost, int count) {
        ByteBuf out = pool.directBuffer(12 + 4 * count + SRTCP_ROOM);
        RtcpWriter.nack(out, NODE_RTCP_SSRC, mediaSsrc, lost, count);
        return out;
    }
}
