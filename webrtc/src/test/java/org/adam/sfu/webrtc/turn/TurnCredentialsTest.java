package org.adam.sfu.webrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The TURN REST scheme; the expected password was computed apart from this code, with
 * {@code printf %s 1767225600:node-abc123 | openssl dgst -sha1 -hmac north-secret -binary | base64}. */
class TurnCredentialsTest {

    @Test
    void restCredentialIsExpiryColonIdAndBase64HmacSha1() {
        TurnCredentials credentials = TurnCredentials.restApi("north-secret", "node-abc123", 1_767_225_600L);
        assertThat(credentials.username()).isEqualTo("1767225600:node-abc123");
        assertThat(credentials.password()).isEqualTo("7F1n6icsA4Va4CQzIKRTKLELJAk=");
        assertThat(credentials.toString()).doesNotContain(credentials.password());
    }
}
