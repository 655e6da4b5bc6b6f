package org.adam.sfu.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SessionNonceTest {

    private final AtomicInteger made = new AtomicInteger();
    private final SessionNonce nonce = new SessionNonce(() -> "n" + made.incrementAndGet());

    @Test
    void theFirstJoinTakesTheHellosNonce() {
        assertThat(nonce.start()).isEqualTo("n1");
        assertThat(nonce.renewIfUsed()).isNull();
        nonce.markUsed();
        assertThat(nonce.current()).isEqualTo("n1");
    }

    @Test
    void aUsedNonceIsReplacedByAnUnusedOne() {
        nonce.start();
        nonce.markUsed();
        assertThat(nonce.renewIfUsed()).isEqualTo("n2");
        assertThat(nonce.current()).isEqualTo("n2");
        assertThat(nonce.renewIfUsed()).as("the fresh one is unused").isNull();
    }

    @Test
    void randomNoncesAre256BitsOfBase64Url() {
        assertThat(SessionNonce.random()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(SessionNonce.random());
    }
}
