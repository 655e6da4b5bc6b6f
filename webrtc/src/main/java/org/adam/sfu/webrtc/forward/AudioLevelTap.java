package org.adam.sfu.webrtc.forward;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.webrtc.rtp.RtpHeaderExtensions;
import org.adam.sfu.webrtc.speaker.SpeakerDetection;

/**
 * Reads the audio level each packet of one published audio stream carries (RFC 6464, in header
 * extension {@code extensionId}) and passes it to the speaker detection's sink. Owned by one
 * {@link TrackForwarder}; media event loop only; allocates nothing per packet.
 */
final class AudioLevelTap {

    private final int extensionId;
    private final RtpHeaderExtensions.Cursor cursor = new RtpHeaderExtensions.Cursor();
    private final SpeakerDetection.LevelSink sink;

    AudioLevelTap(int extensionId, SpeakerDetection.LevelSink sink) {
        this.extensionId = extensionId;
        this.sink = sink;
    }

    /** Passes {@code packet}'s level on, if it carries one. */
    void read(ByteBuf packet, long nowNanos) {
        long found = RtpHeaderExtensions.find(packet, extensionId, cursor);
        if (found >= 0) {
            // One byte: the voice-activity flag, then the level in -dBov (RFC 6464 3).
            sink.onLevel(packet.getByte((int) (found >>> 8)) & 0x7F, nowNanos / 1_000_000);
        }
    }

    /** The stream is gone: the sink is told. */
    void close() {
        sink.close();
    }
}
