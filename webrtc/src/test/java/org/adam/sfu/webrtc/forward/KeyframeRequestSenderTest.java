package org.adam.sfu.webrtc.forward;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Keyframe requests to a publisher: coalesced, by PLI or FIR, counted; in simulated time. */
class KeyframeRequestSenderTest {

    private static final long MS = 1_000_000L;
    private static final String PLI = "206/1";
    private static final String FIR = "206/4";

    private final RecordingLinks.Publisher publisher = new RecordingLinks.Publisher();
    private final KeyframeRequestSender sender = new KeyframeRequestSender(publisher);

    @AfterEach
    void release() {
        publisher.release();
    }

    @Test
    void aPliForTheStreamAtOnce() {
        sender.request(0x1234, 0);
        assertThat(publisher.rtcp).hasSize(1);
        assertThat(publisher.kind(0)).isEqualTo(PLI);
        assertThat(publisher.rtcp.get(0).getInt(8)).as("media SSRC").isEqualTo(0x1234);
        assertThat(sender.sent()).isEqualTo(1);
        assertThat(publisher.counters.keyframeRequestsSent.sum()).isEqualTo(1);
    }

    @Test
    void requestsInsideTheIntervalBecomeOneAtItsEnd() {
        sender.request(1, 0);
        sender.request(1, 100 * MS);
        sender.request(1, 200 * MS);
        assertThat(sender.hasDeferred()).isTrue();
        sender.flushDue(1, 299 * MS);
        assertThat(publisher.rtcp).hasSize(1);
        sender.flushDue(1, 300 * MS);
        sender.flushDue(1, 400 * MS);
        assertThat(publisher.rtcp).hasSize(2);
        assertThat(sender.sent()).isEqualTo(2);
    }

    @Test
    void firWithACommandSequenceThatCounts() {
        sender.useFir(true);
        sender.request(0x1234, 0);
        sender.request(0x1234, 300 * MS);
        assertThat(publisher.kind(0)).isEqualTo(FIR);
        // FIR FCI (RFC 5104 4.3.1.1): the target SSRC, then the command sequence number.
        assertThat(publisher.rtcp.get(0).getInt(12)).isEqualTo(0x1234);
        assertThat((int) publisher.rtcp.get(0).getUnsignedByte(16)).isZero();
        assertThat((int) publisher.rtcp.get(1).getUnsignedByte(16)).isEqualTo(1);
    }

    @Test
    void withoutAPublisherOnlyCounted() {
        KeyframeRequestSender counting = new KeyframeRequestSender(null);
        counting.request(1, 0);
        assertThat(counting.sent()).isEqualTo(1);
    }
}
