package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class NonceStoreTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final NonceStore store = new NonceStore(3, Duration.ofSeconds(60), now::get);

    @Test
    void aNonceIsGoodOnceAndOnlyIfThisStoreIssuedIt() {
        String nonce = store.issue();
        assertThat(nonce).matches("[A-Za-z0-9_-]{22}");
        assertThat(store.take("not-issued")).isFalse();
        assertThat(store.take(null)).isFalse();
        assertThat(store.take(nonce)).isTrue();
        assertThat(store.take(nonce)).as("used").isFalse();
    }

    @Test
    void aNonceExpiresAfterItsLifetime() {
        String young = store.issue();
        String old = store.issue();
        now.addAndGet(60_000);
        assertThat(store.take(young)).as("exactly 60 s").isTrue();
        now.addAndGet(1);
        assertThat(store.take(old)).as("older than 60 s").isFalse();
    }

    @Test
    void theStoreStaysWithinItsCapacityByForgettingTheOldest() {
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            issued.add(store.issue());
        }
        assertThat(store.size()).isEqualTo(3);
        assertThat(new HashSet<>(issued)).hasSize(1000);
        assertThat(store.take(issued.get(0))).as("pushed out").isFalse();
        assertThat(store.take(issued.get(999))).isTrue();
    }

    @Test
    void expiredNoncesLeaveWhenTheNextIsIssued() {
        store.issue();
        store.issue();
        now.addAndGet(61_000);
        store.issue();
        assertThat(store.size()).isEqualTo(1);
    }
}
