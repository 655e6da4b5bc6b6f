package org.adam.sfu.webrtc.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests of {@link SrtpCrypto#OPENSSL} run where the native library was built. The suite's script
 * installs what builds it and sets {@code SFU_REQUIRE_OPENSSL_GCM=1}, so there a missing library
 * fails the test instead of skipping it.
 */
final class OpensslLibrary {

    private OpensslLibrary() {
    }

    static void assumeLoadedFor(SrtpCrypto crypto) {
        if (crypto != SrtpCrypto.OPENSSL) {
            return;
        }
        if ("1".equals(System.getenv("SFU_REQUIRE_OPENSSL_GCM"))) {
            assertThat(SrtpCrypto.opensslAvailable()).as("OpenSSL AES-GCM library loaded").isTrue();
        }
        assumeTrue(SrtpCrypto.opensslAvailable(), "OpenSSL AES-GCM library not built here");
    }
}
