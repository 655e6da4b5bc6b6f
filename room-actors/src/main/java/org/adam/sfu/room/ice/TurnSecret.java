package org.adam.sfu.room.ice;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The secret a node shares with its TURN server (coturn's {@code static-auth-secret}). Kept out of
 * {@link #toString}, so no log line or exception message ever shows it.
 */
public final class TurnSecret {

    private final byte[] key;

    private TurnSecret(byte[] key) {
        this.key = key;
    }

    /** The secret as configured; coturn takes it as text and uses its bytes as the HMAC key. */
    public static TurnSecret of(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("a TURN secret must not be empty");
        }
        return new TurnSecret(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the key bytes (the caller may wipe it). */
    byte[] key() {
        return Arrays.copyOf(key, key.length);
    }

    @Override
    public String toString() {
        return "TurnSecret[hidden]";
    }
}
