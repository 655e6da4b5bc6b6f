package org.adam.sfu.room.ice;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A short-lived TURN credential in the "TURN REST API" scheme (draft-uberti-behave-turn-rest-00,
 * what coturn checks with {@code use-auth-secret}): the username is {@code <expiry>:<user id>},
 * expiry in Unix seconds, and the password is base64(HMAC-SHA1(shared secret, username)). The TURN
 * server recomputes the password from the username alone and refuses it once the expiry has
 * passed, so the node and the TURN server share nothing but the secret.
 */
public record TurnRestCredential(String username, String credential) {

    /** coturn's default separator between the expiry and the user id ({@code rest-api-separator}). */
    static final char SEPARATOR = ':';

    public TurnRestCredential {
        if (username == null || credential == null) {
            throw new IllegalArgumentException("username and credential are required");
        }
    }

    /** The credential for {@code userId}, valid until {@code expiry} (whole seconds, rounded down). */
    public static TurnRestCredential issue(TurnSecret secret, String userId, Instant expiry) {
        if (userId.indexOf(SEPARATOR) >= 0) {
            // The TURN server reads the expiry up to the first separator; a user id with one would
            // still work with coturn, but would read ambiguously in its logs.
            throw new IllegalArgumentException("a TURN user id must not contain '" + SEPARATOR + "'");
        }
        String username = expiry.getEpochSecond() + String.valueOf(SEPARATOR) + userId;
        return new TurnRestCredential(username, hmacSha1Base64(secret, username));
    }

    private static String hmacSha1Base64(TurnSecret secret, String username) {
        byte[] key = secret.key();
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every Java runtime has HmacSHA1 (it is a required algorithm of the platform).
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "TurnRestCredential[username=" + username + ", credential=hidden]";
    }
}
