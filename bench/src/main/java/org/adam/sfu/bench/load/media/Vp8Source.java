package org.adam.sfu.bench.load.media;

import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.bench.load.client.ClientTransport;

/**
 * VP8 at a fixed bitrate and 30 frames/s (3,000 ticks of 90 kHz per frame), each frame split
 * into packets of at most ~1,100 bytes with the marker bit on its last one (RFC 7741). Every
 * packet has a payload descriptor with a 15-bit picture id; a frame's first packet carries the
 * VP8 frame header, whose P bit tells keyframes (three times the size of a delta frame) from
 * delta frames. A keyframe goes out first and after every PLI or FIR.
 *
 * <p>Packets leave paced, as a browser's do: libwebrtc's pacer sends at 2.5 times the target
 * bitrate in 5 ms bursts, so a frame's packets spread over several milliseconds instead of
 * leaving in one burst (a keyframe queues delta frames behind it). The send stamp is taken when
 * a packet leaves, so the pacing itself is not counted as latency.
 */
public final class Vp8Source implements MediaSource {

    private static final long FRAME_NANOS = 1_000_000_000L / 30;
    private static final int TICKS_PER_FRAME = 3000;
    private static final int MAX_PAYLOAD = 1100;
    private static final int KEYFRAME_FACTOR = 3;
    private static final int DESCRIPTOR = 4;
    private static final int KEYFRAME_HEADER = 10;
    private static final int DELTA_HEADER = 3;
    private static final double PACING_FACTOR = 2.5;
    /** The publisher's tick: the pacer may send one tick's worth at once, as libwebrtc's does. */
    private static final long TICK_BUDGET_NANOS = 5_000_000L;

    /** A frame waiting for the pacer: what its packets need to be written. */
    private record Frame(boolean key, long timestamp, int pictureId, int packets, int perPacket) {
    }

    private final RtpStreamWriter stream;
    private final int deltaFrameBytes;
    private final double pacingNanosPerByte;
    private final ArrayDeque<Frame> queued = new ArrayDeque<>();
    private int nextPacket;
    private long pacerNanos = Long.MIN_VALUE;
    private long nextFrameNanos = -1;
    private long frames;
    private int pictureId;
    private boolean keyframeWanted = true;
    private boolean active = true;
    private long keyframes;

    public Vp8Source(RtpStreamWriter stream, long bitrateBps) {
        this.stream = stream;
        this.deltaFrameBytes = (int) (bitrateBps / 8 / 30);
        this.pacingNanosPerByte = 8e9 / (PACING_FACTOR * bitrateBps);
    }

    @Override
    public void tick(long nowNanos, ClientTransport out) {
        if (nextFrameNanos < 0 || nowNanos - nextFrameNanos > 1_000_000_000L) {
            nextFrameNanos = nowNanos;
        }
        while (nextFrameNanos <= nowNanos) {
            if (active) {
                queueFrame();
            }
            frames++;
            nextFrameNanos += FRAME_NANOS;
        }
        pace(nowNanos, out);
    }

    private void queueFrame() {
        boolean key = keyframeWanted;
        keyframeWanted = false;
        if (key) {
            keyframes++;
        }
        int frameBytes = key ? deltaFrameBytes * KEYFRAME_FACTOR : deltaFrameBytes;
        int packets = Math.max(1, (frameBytes + MAX_PAYLOAD - 1) / MAX_PAYLOAD);
        int perPacket = Math.max(frameBytes / packets, LoadStamp.LENGTH + KEYFRAME_HEADER + DESCRIPTOR);
        pictureId = (pictureId + 1) & 0x7FFF;
        queued.add(new Frame(key, frames * TICKS_PER_FRAME, pictureId, packets, perPacket));
    }

    /** Sends what the pacer's budget allows by now; an idle pacer carries no budget forward. */
    private void pace(long nowNanos, ClientTransport out) {
        if (queued.isEmpty()) {
            pacerNanos = nowNanos;
            return;
        }
        pacerNanos = Math.max(pacerNanos, nowNanos - TICK_BUDGET_NANOS);
        while (!queued.isEmpty() && pacerNanos <= nowNanos) {
            Frame frame = queued.peek();
            sendPacket(frame, nextPacket, out);
            pacerNanos += (long) (frame.perPacket() * pacingNanosPerByte);
            if (++nextPacket == frame.packets()) {
                queued.poll();
                nextPacket = 0;
            }
        }
    }

    private void sendPacket(Frame frame, int i, ClientTransport out) {
        boolean first = i == 0;
        ByteBuf packet = stream.start(out.alloc(), i == frame.packets() - 1, frame.timestamp(), frame.perPacket());
        // RFC 7741 4.2: X=1, S on the first packet of the frame, PID 0; I=1, 15-bit picture id.
        packet.writeByte(0x80 | (first ? 0x10 : 0));
        packet.writeByte(0x80);
        packet.writeShort(0x8000 | frame.pictureId());
        int written = DESCRIPTOR;
        if (first && frame.key()) {
            // RFC 6386 9.1: frame tag with P=0 (key) and show_frame, start code, 640x360.
            packet.writeByte(0x10).writeByte(0x00).writeByte(0x00);
            packet.writeByte(0x9D).writeByte(0x01).writeByte(0x2A);
            packet.writeShortLE(640).writeShortLE(360);
            written += KEYFRAME_HEADER;
        } else if (first) {
            packet.writeByte(0x11).writeByte(0x00).writeByte(0x00); // P=1: delta frame
            written += DELTA_HEADER;
        }
        packet.writeZero(frame.perPacket() - written - LoadStamp.LENGTH);
        stream.finish(packet, System.nanoTime());
        out.sendRtp(packet);
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
