package org.adam.sfu.webrtc.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Which packets a jump in the publisher's sequence numbers says are lost. */
class UplinkLossDetectorTest {

    private final UplinkLossDetector detector = new UplinkLossDetector();

    private int[] missingAfter(int seq) {
        int count = detector.onPacket(seq);
        return count == 0 ? new int[0] : Arrays.copyOf(detector.missing(), count);
    }

    @Test
    void aGapNamesTheMissingPackets() {
        assertThat(missingAfter(100)).as("the first packet").isEmpty();
        assertThat(missingAfter(101)).isEmpty();
        assertThat(missingAfter(105)).containsExactly(102, 103, 104);
    }

    @Test
    void acrossTheWrap() {
        missingAfter(65534);
        assertThat(missingAfter(2)).containsExactly(65535, 0, 1);
    }

    @Test
    void duplicatesAndLatePacketsAreNotLoss() {
        missingAfter(100);
        missingAfter(105);
        assertThat(missingAfter(105)).isEmpty();
        assertThat(missingAfter(103)).as("a retransmission arriving").isEmpty();
        assertThat(missingAfter(107)).as("measured from the highest, 105").containsExactly(106);
    }

    @Test
    void upTo64MissingIsLossMoreIsARestart() {
        missingAfter(0);
        assertThat(missingAfter(UplinkLossDetector.MAX_GAP + 1)).hasSize(UplinkLossDetector.MAX_GAP);
        int from = UplinkLossDetector.MAX_GAP + 1;
        assertThat(missingAfter(from + UplinkLossDetector.MAX_GAP + 2)).as("65 missing").isEmpty();
        assertThat(missingAfter(from + UplinkLossDetector.MAX_GAP + 4)).as("counted from the restart")
                .hasSize(1);
    }
}
