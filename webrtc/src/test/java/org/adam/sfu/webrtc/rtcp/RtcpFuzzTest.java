package org.adam.sfu.webrtc.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.collection.IntObjectHashMap;
import org.adam.sfu.webrtc.bwe.BandwidthEstimator;
import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.forward.DownlinkAllocator;
import org.adam.sfu.webrtc.forward.RtcpFeedbackHandler;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.transport.MediaCounters;

/**
 * Coverage-guided fuzzing of the RTCP a peer sends once SRTCP has decrypted it: the compound walk
 * (RFC 3550 6.1), the feedback readers (generic NACK, FIR, REMB, sender report, transport-wide
 * congestion control), and the handler that acts on them and feeds the bandwidth estimator. The
 * compound sits behind a few bytes of other data in a buffer exactly as long as both. The
 * contract: nothing throws, every packet the walk yields lies inside the compound, the walks end.
 */
class RtcpFuzzTest {

    private final RtcpCompound cursor = new RtcpCompound();
    private final MediaCounters counters = new MediaCounters();
    private final RtcpFeedbackHandler handler = new RtcpFeedbackHandler(true);
    private final IntObjectHashMap<TrackForwarder> inbound = new IntObjectHashMap<>();
    private final IntObjectHashMap<DownTrack> outbound = new IntObjectHashMap<>();

    @FuzzTest
    void readsEveryCompoundWithinItsBounds(FuzzedDataProvider data) {
        boolean transportCc = data.consumeBoolean();
        long nowNanos = data.consumeLong();
        BandwidthEstimator estimator = new BandwidthEstimator(5_000_000, 100_000, 50_000_000);
        for (int sent = data.consumeInt(0, 32); sent > 0; sent--) {
            estimator.onSent(data.consumeInt(0, 0xFFFF), data.consumeInt(0, 1500), data.consumeLong());
        }
        byte[] before = data.consumeBytes(data.consumeInt(0, 16));
        byte[] compound = data.consumeRemainingAsBytes();
        byte[] bytes = new byte[before.length + compound.length];
        System.arraycopy(before, 0, bytes, 0, before.length);
        System.arraycopy(compound, 0, bytes, before.length, compound.length);
        ByteBuf buffer = Unpooled.wrappedBuffer(bytes).readerIndex(before.length);
        int start = buffer.readerIndex();
        int end = buffer.writerIndex();

        cursor.reset(buffer);
        int previousEnd = start;
        int[] reported = new int[1];
        while (cursor.next()) {
            assertThat(cursor.offset()).isEqualTo(previousEnd);
            assertThat(cursor.length()).isGreaterThanOrEqualTo(4);
            assertThat(cursor.offset() + cursor.length()).isLessThanOrEqualTo(end);
            previousEnd = cursor.offset() + cursor.length();
            cursor.type();
            cursor.countOrFormat();
            cursor.senderSsrc();
            cursor.mediaSsrc();
            RtcpFeedback.forEachNacked(cursor, seq -> assertThat(seq).isBetween(0, 0xFFFF));
            RtcpFeedback.forEachFirTarget(cursor, ssrc -> reported[0]++);
            RtcpFeedback.rembBitrate(cursor);
            RtcpFeedback.senderReportNtpMiddle(cursor);
            TransportCcFeedback.feedbackCount(cursor);
            TransportCcFeedback.forEach(cursor, (seq, received, arrival) -> assertThat(seq).isBetween(0, 0xFFFF));
        }

        DownlinkAllocator downlink = new DownlinkAllocator(estimator, counters);
        handler.handle(buffer, inbound, outbound, downlink, transportCc, nowNanos, counters);
        estimator.evaluate(nowNanos);
        estimator.evaluate(nowNanos + 2_000_000_000L);
        assertThat(estimator.estimate()).isBetween(100_000L, 50_000_000L);
        assertThat(buffer.readerIndex()).isEqualTo(start);
        assertThat(buffer.writerIndex()).isEqualTo(end);
    }
}
