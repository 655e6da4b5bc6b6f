package org.adam.sfu.bench.load.media;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.bench.load.client.ClientTransport;

/**
 * VP8 at a fixed bitrate and 30 frames/s (3,000 ticks of 90 kHz per frame), each frame split
 * into packets of at most ~1,100 bytes with the marker bit on its last one (RFC 7741). Every
 * packet has a payload descriptor with a 15-bit picture id; a frame's first packet carries the
 * VP8 frame header, whose P bit tells keyframes (three times the size of a delta frame) from
 * delta frames. A keyframe goes out first and after every PLI or FIR.
 */
public final class Vp8Source implements MediaSource {

    private static final long FRAME_NANOS = 1_000_000_000L / 30;
    private static final int TICKS_PER_FRAME = 3000;
    private static final int MAX_PAYLOAD = 1100;
    private static final int KEYFRAME_FACTOR = 3;
    private static final int DESCRIPTOR = 4;
    private static final int KEYFRAME_HEADER = 10;
    private static final int DELTA_HEADER = 3;

    private final RtpStreamWriter stream;
    private final int deltaFrameBytes;
    private long nextFrameNanos = -1;
    private long frames;
    private int pictureId;
    private boolean keyframeWanted = true;
    private boolean active = true;
    private long keyframes;

    public Vp8Source(RtpStreamWriter stream, long bitrateBps) {
        this.stream = stream;
        this.deltaFrameBytes = (int) (bitrateBps / 8 / 30);
    }

    @Override
    public void tick(long nowNanos, ClientTransport out) {
        if (nextFrameNanos < 0 || nowNanos - nextFrameNanos > 1_000_000_000L) {
            nextFrameNanos = nowNanos;
        }
        while (nextFrameNanos <= nowNanos) {
            if (active) {
                sendFrame(out);
            }
            frames++;
            nextFrameNanos += FRAME_NANOS;
        }
    }

    private void sendFrame(ClientTransport out) {
        boolean key = keyframeWanted;
        keyframeWanted = false;
        if (key) {
            keyframes++;
        }
        int frameBytes = key ? deltaFrameBytes * KEYFRAME_FACTOR : deltaFrameBytes;
        int packets = Math.max(1, (frameBytes + MAX_PAYLOAD - 1) / MAX_PAYLOAD);
        int perPacket = Math.max(frameBytes / packets, LoadStamp.LENGTH + KEYFRAME_HEADER + DESCRIPTOR);
        long timestamp = frames * TICKS_PER_FRAME;
        pictureId = (pictureId + 1) & 0x7FFF;
        for (int i = 0; i < packets; i++) {
            boolean first = i == 0;
            ByteBuf packet = stream.start(out.alloc(), i == packets - 1, timestamp, perPacket);
            // RFC 7741 4.2: X=1, S on the first packet of the frame, PID 0; I=1, 15-bit picture id.
            packet.writeByte(0x80 | (first ? 0x10 : 0));
            packet.writeByte(0x80);
            packet.writeShort(0x8000 | pictureId);
            int written = DESCRIPTOR;
            if (first && key) {
                // RFC 6386 9.1: frame tag with P=0 (key) and show_frame, start code, 640x360.
                packet.writeByte(0x10).writeByte(0x00).writeByte(0x00);
                packet.writeByte(0x9D).writeByte(0x01).writeByte(0x2A);
                packet.writeShortLE(640).writeShortLE(360);
                written += KEYFRAME_HEADER;
            } else if (first) {
                packet.writeByte(0x11).writeByte(0x00).writeByte(0x00); // P=1: delta frame
                written += DELTA_HEADER;
            }
            packet.writeZero(perPacket - written - LoadStamp.LENGTH);
            stream.finish(packet, System.nanoTime());
            out.sendRtp(packet);
        }
    }

    @Override
    public void requestKeyframe() {
        keyframeWanted = true;
    }

    /** A simulcast layer nobody receives is not encoded (the node's `publish-layers`). */
    public void setActive(boolean active) {
        if (active && !this.active) {
            keyframeWanted = true;
        }
        this.active = active;
    }

    public long keyframes() {
        return keyframes;
    }

    @Override
    public RtpStreamWriter stream() {
        return stream;
    }
}
