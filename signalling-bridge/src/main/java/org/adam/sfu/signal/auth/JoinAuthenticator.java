package org.adam.sfu.signal.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.adam.sfu.signal.ErrorCodes;
import org.adam.sfu.signal.ProtocolException;

/**
 * Checks join and resume proofs. The join proof signs
 * {@code adam-sfu-join:<nonce>:<neighbourhood>:<room>} (protocol.md); the resume proof signs
 * {@code adam-sfu-resume:<nonce>:<participantId>}, both with the nonce exactly as `hello` sent it.
 */
public final class JoinAuthenticator {

    private final AuthMode mode;

    public JoinAuthenticator(AuthMode mode) {
        this.mode = mode;
    }

    public AuthMode mode() {
        return mode;
    }

    public void checkJoin(String did, String proof, String nonce, String neighbourhood, String room,
                          String requestId) throws ProtocolException {
        check(did, proof, "adam-sfu-join:" + nonce + ":" + neighbourhood + ":" + room, requestId);
    }

    public void checkResume(String did, String proof, String nonce, String participantId, String requestId)
            throws ProtocolException {
        check(did, proof, "adam-sfu-resume:" + nonce + ":" + participantId, requestId);
    }

    private void check(String did, String proof, String signedText, String requestId) throws ProtocolException {
        if (mode == AuthMode.OPEN) {
            return;
        }
        if (proof == null || proof.isEmpty()) {
            throw new ProtocolException(ErrorCodes.UNAUTHORIZED, "a proof is required", requestId);
        }
        DidKey key;
        byte[] signature;
        try {
            key = DidKey.parse(did);
            signature = Base64.getUrlDecoder().decode(proof);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCodes.UNAUTHORIZED, "bad did or proof: " + e.getMessage(), requestId);
        }
        if (!key.verify(signedText.getBytes(StandardCharsets.UTF_8), signature)) {
            throw new ProtocolException(ErrorCodes.UNAUTHORIZED, "proof does not verify for " + did, requestId);
        }
    }
}
