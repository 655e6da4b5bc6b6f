package org.adam.sfu.webrtc.turn;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.webrtc.stun.ChannelNumbers;

/**
 * ChannelData framing (RFC 8656 section 12.4): a 2-byte channel number, a 2-byte payload length,
 * the payload. Over TCP the frame is padded to a multiple of 4 bytes (section 12.5); over UDP it
 * is not, and a received datagram may still carry padding. Static helpers that read and write in
 * place, so the packet path allocates nothing.
 */
public final class ChannelData {

    public static final int HEADER_LENGTH = 4;
    public static final int MAX_PAYLOAD = 0xFFFF;

    /** RFC 7983 / RFC 8656 12: a first byte 0x40-0x4F starts ChannelData, not STUN (0x00-0x03). */
    public static boolean isChannelData(int firstByte) {
        int b = firstByte & 0xFF;
        return b >= (ChannelNumbers.FIRST >>> 8) && b <= (ChannelNumbers.LAST >>> 8);
    }

    /** The channel number of a frame whose header starts at {@code offset}. */
    public static int channel(byte[] frame, int offset) {
        return ((frame[offset] & 0xFF) << 8) | (frame[offset + 1] & 0xFF);
    }

    /** The payload length the header at {@code offset} announces. */
    public static int payloadLength(byte[] frame, int offset) {
        return ((frame[offset + 2] & 0xFF) << 8) | (frame[offset + 3] & 0xFF);
    }

    /**
     * Whether {@code length} bytes at {@code offset} hold one well-formed frame: a channel number
     * in range and a payload that fits (padding beyond it up to 3 bytes is allowed).
     */
    public static boolean isValidFrame(byte[] frame, int offset, int length) {
        if (length < HEADER_LENGTH) {
            return false;
        }
        int channel = channel(frame, offset);
        int payload = payloadLength(frame, offset);
        return channel >= ChannelNumbers.FIRST && channel <= ChannelNumbers.LAST
                && HEADER_LENGTH + payload <= length && length <= paddedLength(payload);
    }

    /** Length of the frame with its payload padded to 4 bytes, as sent over TCP. */
    public static int paddedLength(int payloadLength) {
        return HEADER_LENGTH + ((payloadLength + 3) & ~3);
    }

    /** Length of the frame as sent over the given transport to the server. */
    public static int frameLength(int payloadLength, TurnTransport transport) {
        return transport == TurnTransport.TCP ? paddedLength(payloadLength) : HEADER_LENGTH + payloadLength;
    }

    /**
     * Writes the header of a frame whose payload the caller writes itself right after it (an
     * SRTP packet encrypted in place, say), then finishes with {@link #pad}. Returns the index
     * where the payload goes.
     */
    public static int writeHeader(ByteBuf out, int channel, int payloadLength) {
        if (payloadLength > MAX_PAYLOAD) {
            throw new IllegalArgumentException("ChannelData payload of " + payloadLength + " bytes");
        }
        out.writeShort(channel);
        out.writeShort(payloadLength);
        return out.writerIndex();
    }

    /** Pads a frame written with {@link #writeHeader} and its payload to 4 bytes, over TCP only. */
    public static void pad(ByteBuf out, int payloadLength, TurnTransport transport) {
        if (transport == TurnTransport.TCP) {
            out.writeZero(paddedLength(payloadLength) - HEADER_LENGTH - payloadLength);
        }
    }

    /** Writes a whole frame (header, payload, TCP padding) into {@code out}; {@code payload} is only read. */
    public static void write(ByteBuf out, int channel, ByteBuf payload, TurnTransport transport) {
        int length = payload.readableBytes();
        writeHeader(out, channel, length);
        out.writeBytes(payload, payload.readerIndex(), length);
        pad(out, length, transport);
    }

    /** Writes a whole frame into {@code out} at {@code outOffset}; returns its length. */
    public static int write(byte[] out, int outOffset, int channel, byte[] payload, int offset, int length,
                            TurnTransport transport) {
        if (length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("ChannelData payload of " + length + " bytes");
        }
        out[outOffset] = (byte) (channel >>> 8);
        out[outOffset + 1] = (byte) channel;
        out[outOffset + 2] = (byte) (length >>> 8);
        out[outOffset + 3] = (byte) length;
        System.arraycopy(payload, offset, out, outOffset + HEADER_LENGTH, length);
        int frame = frameLength(length, transport);
        for (int i = outOffset + HEADER_LENGTH + length; i < outOffset + frame; i++) {
            out[i] = 0;
        }
        return frame;
    }

    private ChannelData() {
    }
}
