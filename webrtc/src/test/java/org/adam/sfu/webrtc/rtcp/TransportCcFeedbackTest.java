package org.adam.sfu.webrtc.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class TransportCcFeedbackTest {

    private record Result(int seq, boolean received, long arrivalMicros) {
    }

    private final RtcpCompound cursor = new RtcpCompound();

    /** An RTPFB/15 packet around {@code fci} (base seq onwards), padded to 32 bits. */
    private static ByteBuf packet(int... fci) {
        ByteBuf p = Unpooled.buffer();
        int bytes = 12 + fci.length;
        int padded = (bytes + 3) / 4 * 4;
        p.writeByte(0x80 | 15).writeByte(205).writeShort(padded / 4 - 1).writeInt(1).writeInt(2);
        for (int b : fci) {
            p.writeByte(b);
        }
        p.writeZero(padded - bytes);
        return p;
    }

    private List<Result> read(ByteBuf packet, int[] count) {
        List<Result> results = new ArrayList<>();
        cursor.reset(packet);
        assertThat(cursor.next()).isTrue();
        count[0] = TransportCcFeedback.forEach(cursor, (s, r, a) -> results.add(new Result(s, r, a)));
        return results;
    }

    @Test
    void twoBitStatusVectorWithLargeNegativeDeltaAcrossTheSequenceWrap() {
        ByteBuf p = packet(
                0xFF, 0xFE, 0x00, 0x04, // base 65534, 4 statuses
                0x00, 0x00, 0x01, 0x07, // reference time 1 (64 ms), feedback count 7
                0xD2, 0x40,             // 2-bit vector: small, lost, large, small
                0x04,                   // +1 ms
                0xFF, 0xF8,             // -2 ms
                0xC8);                  // +50 ms
        int[] count = new int[1];
        List<Result> results = read(p, count);
        assertThat(count[0]).isEqualTo(4);
        assertThat(results).containsExactly(
                new Result(65534, true, 65_000), new Result(65535, false, 65_000),
                new Result(0, true, 63_000), new Result(1, true, 113_000));
        cursor.reset(p);
        cursor.next();
        assertThat(TransportCcFeedback.feedbackCount(cursor)).isEqualTo(7);
    }

    @Test
    void runLengthThenOneBitVector() {
        int[] fci = new int[8 + 4 + 10 + 7];
        int[] head = {0x00, 100, 0x00, 24, 0x00, 0x00, 0x00, 0x01, 0x20, 0x0A, 0xAA, 0xAA};
        System.arraycopy(head, 0, fci, 0, head.length);
        for (int i = 0; i < 10; i++) {
            fci[12 + i] = 1;
        }
        for (int i = 0; i < 7; i++) {
            fci[22 + i] = 2;
        }
        int[] count = new int[1];
        List<Result> results = read(packet(fci), count);
        assertThat(count[0]).isEqualTo(24);
        assertThat(results.subList(0, 10)).allMatch(Result::received);
        assertThat(results.get(9).arrivalMicros()).isEqualTo(10 * 250);
        List<Boolean> vector = results.subList(10, 24).stream().map(Result::received).toList();
        assertThat(vector).containsExactly(true, false, true, false, true, false, true, false, true, false, true,
                false, true, false);
        assertThat(results.get(22).arrivalMicros()).isEqualTo(10 * 250 + 7 * 500);
        assertThat(results.get(23).seq()).isEqualTo(123);
    }

    @Test
    void truncatedOrReservedReportsAreMalformedNotFatal() {
        int[] count = new int[1];
        read(packet(0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x20, 0x05, 0x01), count);
        assertThat(count[0]).as("deltas missing").isEqualTo(-1);
        read(packet(0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x20, 0x05), count);
        assertThat(count[0]).as("chunks missing").isEqualTo(-1);
        read(packet(0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x60, 0x01), count);
        assertThat(count[0]).as("reserved symbol").isEqualTo(-1);
    }

    @Test
    void randomReportsNeverThrowAndLeaveTheCompoundWalkIntact() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            int[] fci = new int[8 + random.nextInt(60)];
            for (int j = 0; j < fci.length; j++) {
                fci[j] = random.nextInt(256);
            }
            ByteBuf p = packet(fci);
            RtcpWriter.pli(p, 1, 2);
            cursor.reset(p);
            assertThat(cursor.next()).isTrue();
            TransportCcFeedback.forEach(cursor, (s, r, a) -> { });
            assertThat(cursor.next()).isTrue();
            assertThat(cursor.type()).isEqualTo(RtcpPacketType.PSFB);
        }
    }
}
