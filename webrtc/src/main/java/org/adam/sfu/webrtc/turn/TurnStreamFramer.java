package org.adam.sfu.webrtc.turn;

import java.util.Arrays;

import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunParseException;

/**
 * Splits the byte stream of a TCP connection to a TURN server into STUN messages and ChannelData
 * frames, each delimited by its own length field (RFC 8656 section 12.5): a STUN message is its
 * 20-byte header plus the length it announces, a ChannelData frame its 4-byte header plus the
 * payload padded to 4 bytes. One buffer, grown (doubling) as far as the longest frame needs and
 * never beyond the largest possible one; nothing is allocated per frame. Anything that starts
 * like neither is a broken stream: the caller closes the connection.
 */
public final class TurnStreamFramer {

    /** Receives each complete frame; the bytes are valid only during the call. */
    @FunctionalInterface
    public interface FrameSink {
        void frame(byte[] buffer, int offset, int length);
    }

    /** The largest frame either kind can announce: 4 + 65535 padded (65,540), or 20 + 65532 (65,552). */
    static final int MAX_FRAME = Math.max(ChannelData.paddedLength(ChannelData.MAX_PAYLOAD),
            StunMessage.HEADER_LENGTH + 0xFFFC);

    static final int INITIAL_BUFFER = 2048;

    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int buffered;

    /**
     * Appends {@code length} bytes read from the stream and hands every frame now complete to
     * {@code sink}, in order.
     *
     * @throws StunParseException if the stream holds something that is neither STUN nor ChannelData
     */
    public void feed(byte[] data, int offset, int length, FrameSink sink) throws StunParseException {
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (buffered == buffer.length) {
                // Full without a complete frame: the frame at its start is longer than the buffer.
                buffer = Arrays.copyOf(buffer, Math.min(MAX_FRAME, buffer.length * 2));
            }
            int take = Math.min(end - position, buffer.length - buffered);
            System.arraycopy(data, position, buffer, buffered, take);
            buffered += take;
            position += take;
            int consumed = 0;
            while (true) {
                int frame = frameLength(buffer, consumed, buffered - consumed);
                if (frame < 0 || frame > buffered - consumed) {
                    break;
                }
                sink.frame(buffer, consumed, frame);
                consumed += frame;
            }
            if (consumed > 0) {
                System.arraycopy(buffer, consumed, buffer, 0, buffered - consumed);
                buffered -= consumed;
            }
        }
    }

    /** Bytes held back waiting for the rest of their frame. */
    public int buffered() {
        return buffered;
    }

    /** The length of the frame starting at {@code offset}, or -1 while its header is incomplete. */
    private static int frameLength(byte[] data, int offset, int available) throws StunParseException {
        if (available < 1) {
            return -1;
        }
        int first = data[offset] & 0xFF;
        if (ChannelData.isChannelData(first)) {
            return available < ChannelData.HEADER_LENGTH ? -1
                    : ChannelData.paddedLength(ChannelData.payloadLength(data, offset));
        }
        if ((first & 0xC0) != 0) {
            throw new StunParseException("stream byte 0x" + Integer.toHexString(first) + " starts neither STUN nor ChannelData");
        }
        if (available < 4) {
            return -1;
        }
        int bodyLength = ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
        if ((bodyLength & 3) != 0) {
            throw new StunParseException("STUN length " + bodyLength + " in the stream is not a multiple of 4");
        }
        return StunMessage.HEADER_LENGTH + bodyLength;
    }
}
