package org.adam.sfu.webrtc.ice;

import java.security.SecureRandom;
import java.util.Objects;

/** An ICE username fragment and password (RFC 8445 section 5.3: at least 24 bits and 128 bits of randomness). */
public record IceCredentials(String ufrag, String pwd) {

    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(pwd, "pwd");
    }

    public static IceCredentials random(SecureRandom random) {
        return new IceCredentials(randomString(random, 8), randomString(random, 24));
    }

    private static String randomString(SecureRandom random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
        }
        return out.toString();
    }
}
