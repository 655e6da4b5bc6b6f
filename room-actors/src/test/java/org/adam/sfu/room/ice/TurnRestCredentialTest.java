package org.adam.sfu.room.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class TurnRestCredentialTest {

    /**
     * Expected value computed outside Java:
     * {@code printf '%s' '1767225600:p-0123456789ab' | openssl dgst -sha1 -hmac 'secret-of-the-lab' -binary | base64}.
     */
    @Test
    void credentialIsBase64HmacSha1OfTheUsernameUnderTheSecret() {
        TurnRestCredential credential = TurnRestCredential.issue(TurnSecret.of("secret-of-the-lab"), "p-0123456789ab",
                Instant.ofEpochSecond(1_767_225_600L));
        assertThat(credential.username()).isEqualTo("1767225600:p-0123456789ab");
        assertThat(credential.credential()).isEqualTo("Ag02OWoxhYVVOCokp8YGyEIFq0M=");
    }

    @Test
    void usernameCarriesTheExpiryInWholeUnixSeconds() {
        TurnRestCredential credential = TurnRestCredential.issue(TurnSecret.of("s"), "p-1",
                Instant.ofEpochSecond(1_767_225_600L, 999_000_000));
        assertThat(credential.username()).isEqualTo("1767225600:p-1");
    }

    @Test
    void refusesAUserIdWithTheSeparator() {
        assertThatThrownBy(() -> TurnRestCredential.issue(TurnSecret.of("s"), "a:b", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neitherTheSecretNorTheCredentialAppearsInToString() {
        TurnSecret secret = TurnSecret.of("secret-of-the-lab");
        TurnRestCredential credential = TurnRestCredential.issue(secret, "p-1", Instant.EPOCH);
        assertThat(secret.toString()).doesNotContain("secret-of-the-lab");
        assertThat(credential.toString()).doesNotContain(credential.credential()).contains("0:p-1");
    }
}
