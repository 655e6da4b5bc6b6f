package org.adam.sfu.webrtc.ice;

import java.nio.charset.StandardCharsets;

/**
 * A fixed ICE session for fuzz targets: their seed inputs carry checks signed with its password,
 * so the fuzzer starts from requests that pass integrity and explores from there.
 */
public final class IceSessions {

    public static final String FUZZ_UFRAG = "fuzzufrg";
    public static final String FUZZ_PASSWORD = "fuzzpasswordfuzzpassword";
    public static final byte[] FUZZ_PASSWORD_BYTES = FUZZ_PASSWORD.getBytes(StandardCharsets.UTF_8);

    private IceSessions() {
    }

    /** A fresh session (no remote ufrag yet) for {@link #FUZZ_UFRAG}, null for any other ufrag. */
    public static IceSession fuzzSession(String localUfrag) {
        return FUZZ_UFRAG.equals(localUfrag)
                ? new IceSession(new IceCredentials(FUZZ_UFRAG, FUZZ_PASSWORD), 30_000) : null;
    }
}
