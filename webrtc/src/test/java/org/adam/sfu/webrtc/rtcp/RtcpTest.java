package org.adam.sfu.webrtc.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RtcpTest {

    private final RtcpCompound cursor = new RtcpCompound();

    @Test
    void compoundOfEveryWrittenTypeWalksBack() {
        ByteBuf out = Unpooled.buffer();
        RtcpWriter.senderReport(out, 11, 0x0102030405060708L, 90000, 10, 12000);
        RtcpWriter.receiverReport(out, 12, new RtcpWriter.ReportBlock(13, 25, 3, 70000, 12, 0x0506, 65536));
        RtcpWriter.sdesCname(out, 11, "alice@example");
        RtcpWriter.pli(out, 1, 13);
        RtcpWriter.fir(out, 1, 13, 7);
        RtcpWriter.remb(out, 1, 1_500_000, new int[] {13, 14});
        RtcpWriter.nack(out, 1, 13, new int[] {100, 101, 105}, 3);
        RtcpWriter.bye(out, 11);

        List<Integer> types = new ArrayList<>();
        cursor.reset(out);
        while (cursor.next()) {
            types.add(cursor.type() * 100 + cursor.countOrFormat());
            if (cursor.type() == RtcpPacketType.SR) {
                assertThat(cursor.senderSsrc()).isEqualTo(11);
                assertThat(RtcpFeedback.senderReportNtpMiddle(cursor)).isEqualTo(0x03040506L);
            }
            if (cursor.type() == RtcpPacketType.PSFB && cursor.countOrFormat() == RtcpPacketType.FMT_APPLICATION) {
                long bitrate = RtcpFeedback.rembBitrate(cursor);
                assertThat(bitrate).isBetween(1_499_000L, 1_500_000L);
            }
            if (cursor.type() == RtcpPacketType.PSFB && cursor.countOrFormat() == RtcpPacketType.FMT_FIR) {
                List<Integer> targets = new ArrayList<>();
                RtcpFeedback.forEachFirTarget(cursor, targets::add);
                assertThat(targets).containsExactly(13);
            }
        }
        assertThat(types).containsExactly(200 * 100, 201 * 100 + 1, 202 * 100 + 1, 206 * 100 + 1, 206 * 100 + 4,
                206 * 100 + 15, 205 * 100 + 1, 203 * 100 + 1);
        assertThat(out.readableBytes() % 4).isZero();
        out.release();
    }

    @Test
    void nackPacksRunsIntoPidAndBitmaskAcrossTheWrap() {
        int[] lost = {65534, 65535, 0, 1, 15, 40};
        ByteBuf out = Unpooled.buffer();
        RtcpWriter.nack(out, 1, 2, lost, lost.length);
        cursor.reset(out);
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.mediaSsrc()).isEqualTo(2);
        List<Integer> read = new ArrayList<>();
        RtcpFeedback.forEachNacked(cursor, read::add);
        assertThat(read).containsExactly(65534, 65535, 0, 1, 15, 40);
        // 65534 covers up to 65534+16=14; 15 starts a new pair, and 40 another.
        assertThat(cursor.length()).isEqualTo(12 + 3 * 4);
        out.release();
    }

    @Test
    void malformedCompoundsStopTheWalkInsteadOfThrowing() {
        Random random = new Random(4585);
        for (int i = 0; i < 100_000; i++) {
            byte[] bytes = new byte[random.nextInt(80)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextBoolean()) {
                bytes[0] = (byte) (0x80 | (bytes[0] & 0x3F));
            }
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            cursor.reset(buf);
            while (cursor.next()) {
                assertThat(cursor.offset() + cursor.length()).isLessThanOrEqualTo(bytes.length);
                cursor.senderSsrc();
                cursor.mediaSsrc();
                RtcpFeedback.forEachNacked(cursor, seq -> { });
                RtcpFeedback.forEachFirTarget(cursor, ssrc -> { });
                RtcpFeedback.rembBitrate(cursor);
                RtcpFeedback.senderReportNtpMiddle(cursor);
            }
        }
    }
}
