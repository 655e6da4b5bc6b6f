package org.adam.sfu.webrtc.forward;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sequence and timestamp arithmetic of one receiver's stream, wrap-arounds included. */
class RtpRewriterTest {

    private final RtpRewriter rewriter = new RtpRewriter();

    /** Sends publisher packet {@code seq}/{@code timestamp} as the DownTrack does; returns its output sequence. */
    private int send(int seq, long timestamp) {
        int out = rewriter.outSequence(seq);
        rewriter.sent(out, rewriter.outTimestamp(timestamp));
        return out;
    }

    @Test
    void theFirstSegmentKeepsThePublishersNumbers() {
        rewriter.continueTimestampsAt(1234);
        rewriter.restartAt(100);
        assertThat(rewriter.outSequence(100)).isEqualTo(100);
        assertThat(rewriter.outTimestamp(1234)).isEqualTo(1234);
        assertThat(rewriter.started()).isFalse();
    }

    @Test
    void aRestartContinuesTheSequenceByOne() {
        send(100, 9000);
        send(101, 12000);
        rewriter.restartAt(5000);
        assertThat(send(5000, 15000)).isEqualTo(102);
        assertThat(send(5001, 18000)).isEqualTo(103);
        assertThat(rewriter.originalSequence(103)).isEqualTo(5001);
        assertThat(rewriter.outTimestamp(15000)).as("timestamps keep their offset within a layer").isEqualTo(15000);
    }

    @Test
    void theSequenceWrapsAt65535() {
        send(65534, 0);
        send(65535, 3000);
        rewriter.restartAt(10);
        assertThat(send(10, 6000)).as("after 65535 comes 0").isZero();
        assertThat(send(11, 9000)).isEqualTo(1);
        assertThat(rewriter.originalSequence(0)).isEqualTo(10);
        assertThat(rewriter.originalSequence(65535)).as("before the restart, mapped back by the new offset")
                .isEqualTo(9);
    }

    @Test
    void thePublishersWrapCarriesThroughTheOffset() {
        send(7, 0);
        rewriter.restartAt(65534); // offset 8 - 65534 = 10 (mod 2^16)
        assertThat(send(65534, 0)).isEqualTo(8);
        assertThat(send(65535, 0)).isEqualTo(9);
        assertThat(send(0, 0)).isEqualTo(10);
        assertThat(rewriter.originalSequence(10)).isZero();
    }

    @Test
    void aSwitchContinuesTimestampsByAFrameAcrossTheirWrap() {
        send(1, 0xFFFF_FF00L);
        rewriter.continueTimestampsAt(1000);
        rewriter.restartAt(500);
        long expected = (0xFFFF_FF00L + RtpRewriter.SWITCH_TIMESTAMP_STEP) & 0xFFFF_FFFFL;
        assertThat(rewriter.outTimestamp(1000)).isEqualTo(expected).isEqualTo(2744);
        assertThat(rewriter.outTimestamp(1000 + 90_000)).isEqualTo(expected + 90_000);
        assertThat(rewriter.outTimestamp(0xFFFF_FFFFL)).as("wraps below 2^32").isLessThan(1L << 32);
    }

    @Test
    void anOlderPacketDoesNotMoveTheNewest() {
        send(10, 3000);
        send(12, 9000);
        send(11, 6000);
        rewriter.restartAt(200);
        assertThat(rewriter.outSequence(200)).as("continues after 12, not 11").isEqualTo(13);
        assertThat(rewriter.lastTimestamp()).isEqualTo(9000);
    }

    @Test
    void onlyWhatTheCurrentSegmentSentMayBeResent() {
        send(10, 0);
        send(11, 0);
        rewriter.restartAt(300);
        assertThat(rewriter.sentInSegment(12)).as("nothing of the new segment sent yet").isFalse();
        send(300, 0);
        send(301, 0);
        assertThat(rewriter.sentInSegment(11)).as("before the restart").isFalse();
        assertThat(rewriter.sentInSegment(12)).isTrue();
        assertThat(rewriter.sentInSegment(13)).isTrue();
        assertThat(rewriter.sentInSegment(14)).as("not yet sent").isFalse();
    }
}
