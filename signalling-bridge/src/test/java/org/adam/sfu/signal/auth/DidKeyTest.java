package org.adam.sfu.signal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import org.adam.sfu.signal.ErrorCodes;
import org.adam.sfu.signal.ProtocolException;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

class DidKeyTest {

    private final Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
    private final String did = DidKey.fromPublicKey(key.generatePublicKey().getEncoded());

    private String sign(String text) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        signer.update(bytes, 0, bytes.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(signer.generateSignature());
    }

    @Test
    void base58MatchesKnownEncoding() {
        assertThat(Base58.encode("Hello World!".getBytes(StandardCharsets.US_ASCII))).isEqualTo("2NEpo7TZRRrLZSi2U");
        assertThat(Base58.decode("2NEpo7TZRRrLZSi2U")).isEqualTo("Hello World!".getBytes(StandardCharsets.US_ASCII));
        assertThat(Base58.decode(Base58.encode(new byte[] {0, 0, 1, 2}))).containsExactly(0, 0, 1, 2);
    }

    @Test
    void ed25519DidKeysStartWithZ6Mk() {
        assertThat(did).startsWith("did:key:z6Mk");
        assertThat(DidKey.parse(did).did()).isEqualTo(did);
    }

    @Test
    void acceptsAValidJoinProof() throws ProtocolException {
        JoinAuthenticator auth = new JoinAuthenticator(AuthMode.DID);
        String proof = sign("adam-sfu-join:NONCE:neighbourhood://Qm:standup");
        auth.checkJoin(did, proof, "NONCE", "neighbourhood://Qm", "standup", "1");
    }

    @Test
    void refusesAProofOverAnotherNonceOrRoom() {
        JoinAuthenticator auth = new JoinAuthenticator(AuthMode.DID);
        String proof = sign("adam-sfu-join:OLD:neighbourhood://Qm:standup");
        assertThatThrownBy(() -> auth.checkJoin(did, proof, "NEW", "neighbourhood://Qm", "standup", "1"))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCodes.UNAUTHORIZED));
        String other = sign("adam-sfu-join:NEW:neighbourhood://Qm:other");
        assertThatThrownBy(() -> auth.checkJoin(did, other, "NEW", "neighbourhood://Qm", "standup", "1"))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void refusesMissingProofAndMalformedDids() {
        JoinAuthenticator auth = new JoinAuthenticator(AuthMode.DID);
        assertThatThrownBy(() -> auth.checkJoin(did, null, "N", "n", "r", "1")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> auth.checkJoin("did:web:example", "AAAA", "N", "n", "r", "1"))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> auth.checkJoin("did:key:z0OIl", "AAAA", "N", "n", "r", "1"))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> auth.checkJoin(did, "!!not base64!!", "N", "n", "r", "1"))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void refusesAnOverlongDidBeforeDecodingIt() {
        String huge = "did:key:z" + "z".repeat(262_000);
        long took = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            long start = System.nanoTime();
            try {
                DidKey.parse(huge);
            } catch (IllegalArgumentException expected) {
                long elapsed = System.nanoTime() - start;
                assertThat(expected).hasMessageContaining("too long");
                return elapsed;
            }
            throw new AssertionError("parsed a " + huge.length() + "-character DID");
        });
        assertThat(Duration.ofNanos(took)).isLessThan(Duration.ofMillis(10));
        assertThatThrownBy(() -> DidKey.parse(did + "z")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOverlongDidInAJoinIsUnauthorizedAtOnce() {
        JoinAuthenticator auth = new JoinAuthenticator(AuthMode.DID);
        String huge = "did:key:z" + "z".repeat(262_000);
        String proof = sign("adam-sfu-join:N:n:r");
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThatThrownBy(
                () -> auth.checkJoin(huge, proof, "N", "n", "r", "1"))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCodes.UNAUTHORIZED)));
    }

    @Test
    void openModeChecksNothing() throws ProtocolException {
        new JoinAuthenticator(AuthMode.OPEN).checkJoin("anything", null, "N", "n", "r", "1");
    }
}
