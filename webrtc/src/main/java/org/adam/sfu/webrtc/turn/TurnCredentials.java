package org.adam.sfu.webrtc.turn;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A long-term TURN credential (RFC 8656 section 9.2, RFC 8489 section 9.2): a username and
 * password; the MESSAGE-INTEGRITY key is made from them and the server's realm.
 */
public record TurnCredentials(String username, String password) {

    public TurnCredentials {
        if (username.isEmpty() || username.getBytes(StandardCharsets.UTF_8).length > 508) {
            throw new IllegalArgumentException("a STUN username has 1 to 508 bytes (RFC 8489 14.3)");
        }
    }

    /**
     * The TURN REST shared-secret scheme (draft-uberti-behave-turn-rest, as coturn's
     * {@code use-auth-secret} checks it): username {@code <expiry>:<id>} with the expiry in Unix
     * seconds, password base64(HMAC-SHA1(secret, username)).
     */
    public static TurnCredentials restApi(String sharedSecret, String id, long expiresAtEpochSeconds) {
        String username = expiresAtEpochSeconds + ":" + id;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] digest = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
            return new TurnCredentials(username, Base64.getEncoder().encodeToString(digest));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "TurnCredentials[" + username + "]"; // never the password in a log line
    }
}
