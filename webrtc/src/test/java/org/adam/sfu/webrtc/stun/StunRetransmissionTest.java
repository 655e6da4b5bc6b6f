package org.adam.sfu.webrtc.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** RFC 8489 section 6.2.1's example: sends at 0, 500, 1500, 3500, 7500, 15500, 31500 ms; given up at 39500. */
class StunRetransmissionTest {

    @Test
    void udpScheduleDoublesSevenTimesThenWaitsSixteenRtos() {
        StunRetransmission r = new StunRetransmission(false, 500, 0);
        List<Long> sends = new ArrayList<>(List.of(0L));
        while (true) {
            long at = r.deadline();
            if (!r.onTimeout(at)) {
                assertThat(at).isEqualTo(39_500);
                break;
            }
            sends.add(at);
        }
        assertThat(sends).containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L, 15_500L, 31_500L);
        assertThat(r.expired()).isTrue();
    }

    @Test
    void tcpSendsOnceAndGivesUpAfterTi() {
        StunRetransmission r = new StunRetransmission(true, 500, 1_000);
        assertThat(r.deadline()).isEqualTo(40_500);
        assertThat(r.onTimeout(40_500)).isFalse();
        assertThat(r.expired()).isTrue();
    }
}
