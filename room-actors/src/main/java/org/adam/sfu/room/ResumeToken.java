package org.adam.sfu.room;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret a participant's `joined` carries and a `resume` must present under open auth
 * (protocol.md): 256 random bits, base64url. Only the node that admitted the participant and its
 * client know it; it is never logged, announced or sent to the room.
 */
public final class ResumeToken {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BYTES = 32;

    private final String value;

    private ResumeToken(String value) {
        this.value = value;
    }

    public static ResumeToken random() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return new ResumeToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** The text `joined` carries. */
    public String value() {
        return value;
    }

    /** Whether {@code presented} is this token, compared in time independent of where they differ. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ResumeToken(hidden)";
    }
}
