package org.adam.sfu.webrtc.forward;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Coalescing of keyframe requests, in simulated time. */
class KeyframeRequesterTest {

    private static final long MS = 1_000_000L;
    private final KeyframeRequester requester = new KeyframeRequester();

    @Test
    void theFirstRequestGoesOutAtOnce() {
        assertThat(requester.request(5 * MS)).isTrue();
        assertThat(requester.hasDeferred()).isFalse();
    }

    @Test
    void requestsInsideTheIntervalBecomeOneRequestAtItsEnd() {
        assertThat(requester.request(0)).isTrue();
        assertThat(requester.request(100 * MS)).isFalse();
        assertThat(requester.request(200 * MS)).isFalse();
        assertThat(requester.hasDeferred()).isTrue();
        assertThat(requester.takeDue(299 * MS)).isFalse();
        assertThat(requester.takeDue(300 * MS)).isTrue();
        assertThat(requester.takeDue(301 * MS)).as("only once").isFalse();
        assertThat(requester.takeDue(900 * MS)).isFalse();
    }

    @Test
    void theDeferredRequestStartsTheNextInterval() {
        requester.request(0);
        requester.request(100 * MS);
        requester.takeDue(350 * MS);
        assertThat(requester.request(500 * MS)).as("inside the interval from 350 ms").isFalse();
        assertThat(requester.takeDue(650 * MS)).isTrue();
    }

    @Test
    void aRequestAfterTheIntervalGoesOutAtOnce() {
        requester.request(0);
        assertThat(requester.request(300 * MS)).isTrue();
        assertThat(requester.hasDeferred()).isFalse();
    }
}
