package org.adam.sfu.webrtc.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** VP8 payload descriptors (RFC 7741 4.2) in front of key and delta frame headers. */
class Vp8PayloadTest {

    private static ByteBuf packet(int... payload) {
        ByteBuf p = Unpooled.buffer();
        p.writeByte(0x80).writeByte(96).writeShort(1).writeInt(0).writeInt(7);
        for (int b : payload) {
            p.writeByte(b);
        }
        return p;
    }

    @Test
    void recognisesKeyframeStartsWithAndWithoutExtendedFields() {
        // S=1, PID=0, no extension; frame header P bit 0: keyframe.
        assertThat(Vp8Payload.isKeyframeStart(packet(0x10, 0x00, 0x9d, 0x01, 0x2a))).isTrue();
        // X=1 with I (15-bit picture id), L and T/K: four descriptor bytes more.
        assertThat(Vp8Payload.isKeyframeStart(packet(0x90, 0xe0, 0x80, 0x01, 0x05, 0x20, 0x00, 0x9d))).isTrue();
        // Seven-bit picture id only.
        assertThat(Vp8Payload.isKeyframeStart(packet(0x90, 0x80, 0x11, 0x00))).isTrue();
    }

    @Test
    void rejectsDeltaFramesContinuationsAndOtherPartitions() {
        assertThat(Vp8Payload.isKeyframeStart(packet(0x10, 0x01))).as("P bit set: delta frame").isFalse();
        assertThat(Vp8Payload.isKeyframeStart(packet(0x00, 0x00))).as("not a partition start").isFalse();
        assertThat(Vp8Payload.isKeyframeStart(packet(0x11, 0x00))).as("partition 1").isFalse();
        assertThat(Vp8Payload.isKeyframeStart(packet(0x90, 0x80))).as("truncated").isFalse();
        assertThat(Vp8Payload.isKeyframeStart(packet())).as("empty payload").isFalse();
    }
}
