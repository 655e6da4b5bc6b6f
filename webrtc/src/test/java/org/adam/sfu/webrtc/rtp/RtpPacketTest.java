package org.adam.sfu.webrtc.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

    private static ByteBuf packetWithExtensions(boolean twoByte) {
        ByteBuf p = Unpooled.buffer(64);
        p.writeByte(0x80 | 0x10 | 1).writeByte(0x80 | 96).writeShort(4242).writeInt(90000).writeInt(0x12345678);
        p.writeInt(0xAAAAAAAA); // one CSRC
        if (twoByte) {
            p.writeShort(0x1000).writeShort(2);
            p.writeByte(3).writeByte(2).writeShort(0x0102); // id 3, two bytes
            p.writeByte(0).writeByte(9).writeByte(1).writeByte(0x55); // padding, id 9, one byte
        } else {
            p.writeShort(0xBEDE).writeShort(2);
            p.writeByte(0x31).writeShort(0x0102); // id 3, two bytes
            p.writeByte(0); // padding
            p.writeByte(0x90).writeByte(0x55); // id 9, one byte
            p.writeShort(0);
        }
        p.writeBytes(new byte[] {1, 2, 3, 4});
        return p;
    }

    @Test
    void readsTheFixedHeaderAndItsLength() {
        ByteBuf p = packetWithExtensions(false);
        assertThat(RtpPacket.isValid(p)).isTrue();
        assertThat(RtpPacket.version(p)).isEqualTo(2);
        assertThat(RtpPacket.marker(p)).isTrue();
        assertThat(RtpPacket.payloadType(p)).isEqualTo(96);
        assertThat(RtpPacket.sequenceNumber(p)).isEqualTo(4242);
        assertThat(RtpPacket.timestamp(p)).isEqualTo(90000);
        assertThat(RtpPacket.ssrc(p)).isEqualTo(0x12345678);
        assertThat(RtpPacket.csrcCount(p)).isEqualTo(1);
        assertThat(RtpPacket.headerLength(p)).isEqualTo(12 + 4 + 4 + 8);
        assertThat(RtpPacket.payloadLength(p)).isEqualTo(4);
        p.release();
    }

    @Test
    void rewritesInPlaceWithoutTouchingTheRest() {
        ByteBuf p = packetWithExtensions(false);
        ByteBuf before = p.copy();
        RtpPacket.setSsrc(p, 0xDEADBEEF);
        RtpPacket.setSequenceNumber(p, 65535);
        RtpPacket.setTimestamp(p, 0xFFFFFFFFL);
        RtpPacket.setPayloadType(p, 111);
        RtpPacket.setMarker(p, false);
        assertThat(RtpPacket.ssrc(p)).isEqualTo(0xDEADBEEF);
        assertThat(RtpPacket.sequenceNumber(p)).isEqualTo(65535);
        assertThat(RtpPacket.timestamp(p)).isEqualTo(0xFFFFFFFFL);
        assertThat(RtpPacket.payloadType(p)).isEqualTo(111);
        assertThat(RtpPacket.marker(p)).isFalse();
        assertThat(p.slice(12, p.readableBytes() - 12)).isEqualTo(before.slice(12, before.readableBytes() - 12));
        p.release();
        before.release();
    }

    @Test
    void findsOneByteAndTwoByteExtensionElements() {
        RtpHeaderExtensions.Cursor cursor = new RtpHeaderExtensions.Cursor();
        for (boolean twoByte : new boolean[] {false, true}) {
            ByteBuf p = packetWithExtensions(twoByte);
            long three = RtpHeaderExtensions.find(p, 3, cursor);
            assertThat(three).isNotNegative();
            assertThat((int) (three & 0xFF)).isEqualTo(2);
            assertThat(p.getUnsignedShort((int) (three >>> 8))).isEqualTo(0x0102);
            long nine = RtpHeaderExtensions.find(p, 9, cursor);
            assertThat((int) p.getUnsignedByte((int) (nine >>> 8))).isEqualTo(0x55);
            assertThat(RtpHeaderExtensions.find(p, 4, cursor)).isEqualTo(-1);

            cursor.reset(p);
            assertThat(cursor.next()).isTrue();
            cursor.rewriteId(5);
            assertThat(RtpHeaderExtensions.find(p, 5, cursor)).isEqualTo(three);
            p.release();
        }
    }

    @Test
    void inconsistentPacketsAreInvalidNotExceptions() {
        Random random = new Random(3550);
        RtpHeaderExtensions.Cursor cursor = new RtpHeaderExtensions.Cursor();
        for (int i = 0; i < 100_000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (bytes.length > 0) {
                bytes[0] = (byte) (0x80 | (bytes[0] & 0x3F));
            }
            ByteBuf p = Unpooled.wrappedBuffer(bytes);
            if (RtpPacket.isValid(p)) {
                RtpPacket.payloadLength(p);
                if (cursor.reset(p)) {
                    while (cursor.next()) {
                        assertThat(cursor.dataOffset() + cursor.dataLength()).isLessThanOrEqualTo(bytes.length);
                    }
                }
            } else {
                assertThat(RtpPacket.headerLength(p) < 0 || RtpPacket.paddingLength(p) > 0).isTrue();
            }
        }
    }

    @Test
    void extensionCursorRefusesABufferTooShortForAHeader() {
        // Found by RtpPacketFuzzTest: the cursor read the extension bit of an empty packet.
        RtpHeaderExtensions.Cursor cursor = new RtpHeaderExtensions.Cursor();
        ByteBuf empty = Unpooled.wrappedBuffer(new byte[] {(byte) 0x90, 0x60}).readerIndex(2);
        assertThat(cursor.reset(empty)).isFalse();
        assertThat(cursor.reset(Unpooled.EMPTY_BUFFER)).isFalse();
        assertThat(RtpHeaderExtensions.find(Unpooled.EMPTY_BUFFER, 1, cursor)).isEqualTo(-1);
    }
}
