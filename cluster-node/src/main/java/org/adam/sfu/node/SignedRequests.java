package org.adam.sfu.node;

import static org.adam.sfu.node.GraphqlErrors.error;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.adam.sfu.signal.auth.DidKey;

/**
 * The nonces callNonce hands out and the checks of the requests made with them: a join under DID
 * auth, and an owner's signed policy change. Each nonce is used up by the first request that
 * presents it, whatever the outcome, so a captured request cannot be sent again. The nonces live
 * in a {@link NonceStore} (thread-safe); any graphql-java thread may call this.
 */
final class SignedRequests {

    private final NonceStore nonces;

    SignedRequests(NonceStore nonces) {
        this.nonces = nonces;
    }

    String issueNonce() {
        return nonces.issue();
    }

    /** Uses up a join's nonce; `unauthorized` when it is not one this node gave out and nobody used. */
    void takeJoinNonce(String nonce) {
        if (!nonces.take(nonce)) {
            throw error("unauthorized", "a fresh nonce from callNonce is required");
        }
    }

    /**
     * Checks an owner's signature over `<kind>:<nonce>:<neighbourhoodUrl>:<subject>`, the nonce
     * one callNonce gave out on this node and nobody has used.
     *
     * @param subjectName how the error messages name the subject, e.g. `<config>`
     * @param signature   base64url, as the request carried it
     */
    void verifyOwnerSignature(String did, String kind, String neighbourhood, String subject, String subjectName,
                              String nonce, String signature) {
        String format = kind + ":<nonce>:<neighbourhoodUrl>:" + subjectName;
        if (nonce == null) {
            throw error("nonce-required", "sign " + format + " with a nonce from callNonce and send the nonce as"
                    + " `nonce`: signatures without one could be replayed and are no longer accepted");
        }
        if (!nonces.take(nonce)) {
            throw error("bad-nonce", "the nonce was not issued by this node, was used already or is older than "
                    + nonces.lifetimeSeconds() + " s: ask callNonce for a new one and sign again");
        }
        byte[] signatureBytes;
        try {
            signatureBytes = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw error("bad-signature", "signature is not base64url");
        }
        String signed = kind + ":" + nonce + ":" + neighbourhood + ":" + subject;
        if (!DidKey.parse(did).verify(signed.getBytes(StandardCharsets.UTF_8), signatureBytes)) {
            throw error("bad-signature", "the signature does not verify for " + did + " over " + format);
        }
    }
}
