package org.adam.sfu.signal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * The nonce a `/signal` session's hello gave its client to sign: good for one join or resume,
 * after which the next one gets a fresh nonce. Owned by one {@link SignalSession}; touched only on
 * its socket's event loop.
 */
final class SessionNonce {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<String> fresh;
    private String nonce;
    private boolean used;

    /** @param fresh makes a new unguessable nonce */
    SessionNonce(Supplier<String> fresh) {
        this.fresh = fresh;
    }

    /** 256 random bits, base64url without padding. */
    static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new nonce for the session's first hello. */
    String start() {
        nonce = fresh.get();
        return nonce;
    }

    /** The nonce a join or resume must have signed. */
    String current() {
        return nonce;
    }

    /**
     * Called before a join or resume takes the nonce: when the current one was used already, a
     * fresh one replaces it, still unused, for the client to learn from a new hello.
     *
     * @return the fresh nonce, or null when the current one is still unused
     */
    String renewIfUsed() {
        if (!used) {
            return null;
        }
        nonce = fresh.get();
        used = false;
        return nonce;
    }

    /** The current nonce is taken by a join or resume. */
    void markUsed() {
        used = true;
    }
}
