package org.adam.sfu.bench.load.media;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.bench.load.client.ClientTransport;

/** Opus as a browser sends speech: one packet per 20 ms frame (50/s, 960 ticks of 48 kHz), ~100 bytes. */
public final class OpusSource implements MediaSource {

    static final long FRAME_NANOS = 20_000_000L;
    private static final int TICKS_PER_FRAME = 960;
    private static final int PAYLOAD = 100;

    private final RtpStreamWriter stream;
    private long nextFrameNanos = -1;
    private long frames;

    public OpusSource(RtpStreamWriter stream) {
        this.stream = stream;
    }

    @Override
    public void tick(long nowNanos, ClientTransport out) {
        if (nextFrameNanos < 0 || nowNanos - nextFrameNanos > 1_000_000_000L) {
            nextFrameNanos = nowNanos; // start, or catch up after a stall rather than burst
        }
        while (nextFrameNanos <= nowNanos) {
            ByteBuf packet = stream.start(out.alloc(), false, frames * TICKS_PER_FRAME, PAYLOAD);
            packet.writeByte(0x78); // TOC: SILK-only wideband 20 ms, mono (RFC 6716 3.1)
            packet.writeZero(PAYLOAD - 1 - LoadStamp.LENGTH);
            stream.finish(packet, System.nanoTime());
            out.sendRtp(packet);
            frames++;
            nextFrameNanos += FRAME_NANOS;
        }
    }

    @Override
    public RtpStreamWriter stream() {
        return stream;
    }
}
