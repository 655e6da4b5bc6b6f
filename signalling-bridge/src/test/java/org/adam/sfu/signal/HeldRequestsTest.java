package org.adam.sfu.signal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeldRequestsTest {

    @Test
    void holdsUpToItsBoundAndGivesThemBackOldestFirst() {
        HeldRequests held = new HeldRequests();
        for (int i = 0; i < HeldRequests.MAX_HELD; i++) {
            assertThat(held.hold(new ClientRequest.Ping("p" + i))).isTrue();
        }
        assertThat(held.hold(new ClientRequest.Ping("one too many"))).isFalse();
        for (int i = 0; i < HeldRequests.MAX_HELD; i++) {
            assertThat(held.next().id()).isEqualTo("p" + i);
        }
        assertThat(held.next()).isNull();
    }
}
