package org.adam.sfu.webrtc.stun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The MESSAGE-INTEGRITY key of the long-term credential mechanism (RFC 8489 section 9.2.2):
 * MD5(username ":" realm ":" password). The password is taken as given: RFC 8489 asks for
 * OpaqueString (SASLprep in RFC 5389) preparation, which changes nothing for the ASCII
 * passwords TURN servers hand out (and TURN REST passwords are base64).
 */
public final class StunLongTermKey {

    public static byte[] of(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private StunLongTermKey() {
    }
}
