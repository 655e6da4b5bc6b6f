package org.adam.sfu.webrtc.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The RFC 6464 level a packet carries in its header extension. */
class AudioLevelReaderTest {

    /** An Opus packet with one one-byte-header extension element {@code id} holding {@code value}. */
    private static ByteBuf withLevel(int id, int value) {
        ByteBuf p = Unpooled.buffer();
        p.writeByte(0x90).writeByte(111).writeShort(1).writeInt(960).writeInt(7);
        p.writeShort(0xBEDE).writeShort(1).writeByte(id << 4).writeByte(value).writeShort(0);
        p.writeZero(10);
        return p;
    }

    @Test
    void theLevelWithoutTheVoiceActivityFlag() {
        ByteBuf packet = withLevel(1, 0x80 | 42);
        assertThat(new AudioLevelReader(1).level(packet)).isEqualTo(42);
        packet.release();
    }

    @Test
    void noneInAnotherExtension() {
        ByteBuf packet = withLevel(3, 42);
        assertThat(new AudioLevelReader(1).level(packet)).isEqualTo(-1);
        packet.release();
    }
}
