package org.adam.sfu.webrtc.forward;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.webrtc.rtp.RtpHeaderExtensions;

/**
 * Reads the audio level a packet of one published audio stream carries (RFC 6464, in header
 * extension {@code extensionId}). Owned by one {@link TrackForwarder}, which passes the levels to
 * the speaker detection; media event loop only; allocates nothing per packet.
 */
final class AudioLevelReader {

    private final int extensionId;
    private final RtpHeaderExtensions.Cursor cursor = new RtpHeaderExtensions.Cursor();

    AudioLevelReader(int extensionId) {
        this.extensionId = extensionId;
    }

    /** The level in -dBov (0 loudest, 127 silence), or -1 if the packet carries none. */
    int level(ByteBuf packet) {
        long found = RtpHeaderExtensions.find(packet, extensionId, cursor);
        if (found < 0) {
            return -1;
        }
        // One byte: the voice-activity flag, then the level (RFC 6464 3).
        return packet.getByte((int) (found >>> 8)) & 0x7F;
    }
}
