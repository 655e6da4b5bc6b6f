package org.adam.sfu.signal.auth;

import java.util.Locale;

/** How a node checks who joins (protocol.md "Joining"). */
public enum AuthMode {
    /** DIDs and proofs are taken as given: the embedded default on loopback. */
    OPEN,
    /** A join must carry an Ed25519 signature by its did:key over the session nonce. */
    DID;

    public static AuthMode parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
