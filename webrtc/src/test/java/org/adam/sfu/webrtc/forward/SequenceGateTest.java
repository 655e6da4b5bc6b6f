package org.adam.sfu.webrtc.forward;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Newer packets pass; late ones only if NACKed, once. */
class SequenceGateTest {

    private final SequenceGate gate = new SequenceGate();

    @Test
    void newerPacketsPassOlderAndDuplicatesDoNot() {
        assertThat(gate.admits(100)).isTrue();
        assertThat(gate.admits(101)).isTrue();
        assertThat(gate.admits(105)).as("after a gap").isTrue();
        assertThat(gate.admits(105)).as("duplicate").isFalse();
        assertThat(gate.admits(103)).as("late, not asked for").isFalse();
    }

    @Test
    void newerAcrossTheWrap() {
        gate.admits(65535);
        assertThat(gate.admits(0)).isTrue();
        assertThat(gate.admits(65535)).isFalse();
    }

    @Test
    void aNackedLatePacketPassesOnce() {
        gate.admits(10);
        gate.admits(12);
        gate.rememberNack(11);
        assertThat(gate.admits(11)).isTrue();
        assertThat(gate.admits(11)).as("only once").isFalse();
    }

    @Test
    void aRestartForgetsTheNacks() {
        gate.admits(10);
        gate.admits(12);
        gate.rememberNack(11);
        gate.restartAt(500);
        assertThat(gate.admits(11)).isFalse();
        assertThat(gate.admits(500)).as("the restart's own packet is not newer").isFalse();
        assertThat(gate.admits(501)).isTrue();
    }

    @Test
    void theMemoryHoldsTheLast64Nacks() {
        gate.admits(1000);
        for (int seq = 0; seq <= SequenceGate.NACK_MEMORY; seq++) {
            gate.rememberNack(seq);
        }
        assertThat(gate.admits(0)).as("the oldest was overwritten").isFalse();
        assertThat(gate.admits(1)).isTrue();
        assertThat(gate.admits(SequenceGate.NACK_MEMORY)).isTrue();
    }
}
