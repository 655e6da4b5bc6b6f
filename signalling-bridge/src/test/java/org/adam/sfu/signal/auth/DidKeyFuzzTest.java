package org.adam.sfu.signal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.adam.sfu.signal.ErrorCodes;
import org.adam.sfu.signal.ProtocolException;

/**
 * Coverage-guided fuzzing of what a joining client's identity goes through: {@code did:key}
 * parsing (base58btc, the Ed25519 multicodec prefix, the key itself) and the join and resume
 * proofs. The contract: {@link DidKey#parse} returns or throws IllegalArgumentException;
 * verifying a signature returns true or false; a proof check passes or throws
 * {@link ProtocolException} `unauthorized`; base58 decoding then encoding gives back the text.
 */
class DidKeyFuzzTest {

    private final JoinAuthenticator authenticator = new JoinAuthenticator(AuthMode.DID);

    /** @param input the DID, then optionally a newline and the proof, then a newline and the nonce */
    @FuzzTest
    void parsesAndChecksOrRefuses(byte[] input) {
        String[] parts = new String(input, StandardCharsets.UTF_8).split("\n", 3);
        String did = parts[0];
        String proof = parts.length > 1 ? parts[1] : "";
        String nonce = parts.length > 2 ? parts[2] : "";
        try {
            DidKey key = DidKey.parse(did);
            assertThat(key.did()).isEqualTo(did);
            key.verify(nonce.getBytes(StandardCharsets.UTF_8), proof.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException refused) {
            // not an Ed25519 did:key
        }
        if (did.startsWith("did:key:z")) {
            String base58 = did.substring("did:key:z".length());
            try {
                assertThat(Base58.encode(Base58.decode(base58))).isEqualTo(base58);
            } catch (IllegalArgumentException refused) {
                // not base58
            }
        }
        try {
            authenticator.checkJoin(did, proof, nonce, "https://example.org/n", "room", "1");
            throw new AssertionError("a proof nobody signed was accepted");
        } catch (ProtocolException refused) {
            assertThat(refused.code()).isEqualTo(ErrorCodes.UNAUTHORIZED);
        }
    }
}
