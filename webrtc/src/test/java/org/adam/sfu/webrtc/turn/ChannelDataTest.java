package org.adam.sfu.webrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.adam.sfu.webrtc.Hex;
import org.junit.jupiter.api.Test;

/** ChannelData framing (RFC 8656 12.4, 12.5): header, payload, padding over TCP only. */
class ChannelDataTest {

    private static final byte[] PAYLOAD = {10, 20, 30, 40, 50};

    @Test
    void framesOverUdpWithoutPaddingAndOverTcpPaddedToFour() {
        byte[] out = new byte[16];
        assertThat(ChannelData.write(out, 0, 0x4001, PAYLOAD, 0, 5, TurnTransport.UDP)).isEqualTo(9);
        assertThat(java.util.Arrays.copyOf(out, 9)).isEqualTo(Hex.bytes("4001 0005 0a141e2832"));
        java.util.Arrays.fill(out, (byte) 0x77);
        assertThat(ChannelData.write(out, 0, 0x4001, PAYLOAD, 0, 5, TurnTransport.TCP)).isEqualTo(12);
        assertThat(java.util.Arrays.copyOf(out, 12)).isEqualTo(Hex.bytes("4001 0005 0a141e2832 000000"));
    }

    @Test
    void byteBufFrameIsReadBackInPlace() {
        ByteBuf payload = Unpooled.wrappedBuffer(PAYLOAD);
        ByteBuf out = Unpooled.buffer(16);
        try {
            ChannelData.write(out, 0x4FFF, payload, TurnTransport.TCP);
            assertThat(payload.readableBytes()).isEqualTo(5); // only read
            byte[] frame = new byte[out.readableBytes()];
            out.getBytes(0, frame);
            assertThat(frame).hasSize(12);
            assertThat(ChannelData.isChannelData(frame[0])).isTrue();
            assertThat(ChannelData.channel(frame, 0)).isEqualTo(0x4FFF);
            assertThat(ChannelData.payloadLength(frame, 0)).isEqualTo(5);
            assertThat(ChannelData.isValidFrame(frame, 0, frame.length)).isTrue();
            assertThat(ChannelData.isValidFrame(frame, 0, 9)).isTrue(); // unpadded, as over UDP
        } finally {
            payload.release();
            out.release();
        }
    }

    @Test
    void headerThenPayloadInPlaceThenPadding() {
        ByteBuf out = Unpooled.buffer(16);
        try {
            int payloadAt = ChannelData.writeHeader(out, 0x4002, 5);
            assertThat(payloadAt).isEqualTo(4);
            out.writeBytes(PAYLOAD);
            ChannelData.pad(out, 5, TurnTransport.TCP);
            byte[] frame = new byte[out.readableBytes()];
            out.getBytes(0, frame);
            assertThat(frame).isEqualTo(Hex.bytes("4002 0005 0a141e2832 000000"));
        } finally {
            out.release();
        }
    }

    @Test
    void refusesFramesThatDoNotFit() {
        assertThat(ChannelData.isValidFrame(Hex.bytes("4001 0005 0a14"), 0, 6)).isFalse(); // payload cut short
        assertThat(ChannelData.isValidFrame(Hex.bytes("4001"), 0, 2)).isFalse();
        assertThat(ChannelData.isValidFrame(Hex.bytes("5001 0000"), 0, 4)).isFalse(); // not a channel
        assertThat(ChannelData.isValidFrame(Hex.bytes("4001 0001 00 000000 00"), 0, 9)).isFalse(); // beyond padding
        assertThat(ChannelData.isChannelData(0x00)).isFalse(); // STUN
        assertThat(ChannelData.isChannelData(0x80)).isFalse(); // RTP
        assertThatThrownBy(() -> ChannelData.write(new byte[70_000], 0, 0x4000, new byte[65_536], 0, 65_536,
                TurnTransport.UDP)).isInstanceOf(IllegalArgumentException.class);
    }
}
