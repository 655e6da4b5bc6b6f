package org.adam.sfu.webrtc.forward;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.webrtc.rtp.RtpHeaderExtensions;

/**
 * The header extension block the node writes into what it sends a receiver taking part in
 * bandwidth estimation: only the transport-wide sequence number, which the transport stamps at
 * send time. Stateless; media event loop.
 */
final class TransportCcExtension {

    /** Bytes {@link #write} adds: the block header and one padded element. */
    static final int LENGTH = 8;

    private TransportCcExtension() {
    }

    /**
     * Writes a one-byte-header extension block (RFC 8285) holding a zeroed 2-byte element {@code id}.
     *
     * @return the absolute index of the sequence number
     */
    static int write(ByteBuf out, int id) {
        out.writeShort(RtpHeaderExtensions.ONE_BYTE_PROFILE).writeShort(1);
        int offset = out.writerIndex() + 1;
        out.writeByte((id << 4) | 1).writeShort(0).writeByte(0);
        return offset;
    }
}
