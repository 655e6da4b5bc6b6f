package org.adam.sfu.webrtc.forward;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.webrtc.rtp.RtpPacket;

/**
 * Padding-only packets on a receiver's RTX stream: the receiver discards them but reports their
 * arrival, which is how the node probes for more bandwidth ({@link DownlinkAllocator}). Stateless;
 * called on the media event loop.
 */
final class PaddingProbes {

    /** Padding bytes per probe packet: the most one padding-count byte can describe. */
    static final int PADDING_PER_PACKET = 255;

    private PaddingProbes() {
    }

    /**
     * Sends about {@code bytes} of padding to {@code receiver} on {@code rtx}, stamped with
     * {@code timestamp} (the last media timestamp sent), until the link refuses one.
     *
     * @return the bytes sent
     */
    static int send(ReceiverLink receiver, RtxStream rtx, long timestamp, int bytes) {
        int sent = 0;
        int transportCcId = receiver.transportCcExtensionId();
        while (sent < bytes) {
            ByteBuf out = receiver.allocator().directBuffer(RtpPacket.FIXED_HEADER + TransportCcExtension.LENGTH
                    + PADDING_PER_PACKET + TrackForwarder.SRTP_TAG_ROOM);
            out.writeByte(transportCcId > 0 ? 0xB0 : 0xA0); // V=2, P=1, X if the transport-wide sequence goes in
            out.writeByte(rtx.payloadType());
            out.writeShort(rtx.takeSequence());
            out.writeInt((int) timestamp);
            out.writeInt(rtx.ssrc());
            int offset = transportCcId > 0 ? TransportCcExtension.write(out, transportCcId) : -1;
            out.writeZero(PADDING_PER_PACKET - 1);
            out.writeByte(PADDING_PER_PACKET); // the padding count includes itself (RFC 3550 5.1)
            int length = out.readableBytes();
            if (!receiver.sendRtp(out, offset)) {
                break;
            }
            receiver.counters().paddingBytes.add(length);
            sent += length;
        }
        return sent;
    }
}
