package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

import graphql.GraphqlErrorException;
import org.adam.sfu.signal.auth.DidKey;
import org.assertj.core.api.ThrowableAssert;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

class SignedRequestsTest {

    private static final String HOOD = "https://n.example";

    private final AtomicLong now = new AtomicLong(5_000);
    private final SignedRequests signed = new SignedRequests(new NonceStore(16, Duration.ofSeconds(60), now::get));
    private final Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
    private final String owner = DidKey.fromPublicKey(key.generatePublicKey().getEncoded());

    private String sign(String text) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        signer.update(bytes, 0, bytes.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(signer.generateSignature());
    }

    private void verify(String nonce, String signature) {
        signed.verifyOwnerSignature(owner, "adam-sfu-config", HOOD, "{}", "<config>", nonce, signature);
    }

    private static void refused(ThrowableAssert.ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOf(GraphqlErrorException.class)
                .satisfies(e -> assertThat(((GraphqlErrorException) e).getExtensions()).containsEntry("code", code));
    }

    @Test
    void anOwnersSignatureOverAFreshNonceIsTakenOnce() {
        String nonce = signed.issueNonce();
        String signature = sign("adam-sfu-config:" + nonce + ":" + HOOD + ":{}");
        verify(nonce, signature);
        refused(() -> verify(nonce, signature), "bad-nonce");
    }

    @Test
    void aSignatureWithoutANonceIsRefused() {
        refused(() -> verify(null, sign("adam-sfu-config:" + HOOD + ":{}")), "nonce-required");
    }

    @Test
    void aNonceOlderThanItsLifetimeIsRefused() {
        String nonce = signed.issueNonce();
        now.addAndGet(60_001);
        assertThatThrownBy(() -> verify(nonce, sign("adam-sfu-config:" + nonce + ":" + HOOD + ":{}")))
                .hasMessageContaining("older than 60 s");
    }

    @Test
    void aSignatureOverAnotherTextOrNotBase64IsRefusedAndStillUsesTheNonce() {
        String nonce = signed.issueNonce();
        refused(() -> verify(nonce, sign("adam-sfu-config:" + nonce + ":" + HOOD + ":{\"x\":1}")), "bad-signature");
        refused(() -> verify(nonce, sign("adam-sfu-config:" + nonce + ":" + HOOD + ":{}")), "bad-nonce");
        String next = signed.issueNonce();
        refused(() -> verify(next, "not base64!"), "bad-signature");
    }

    @Test
    void aJoinTakesANonceThisNodeGaveOutOnce() {
        String nonce = signed.issueNonce();
        signed.takeJoinNonce(nonce);
        refused(() -> signed.takeJoinNonce(nonce), "unauthorized");
        refused(() -> signed.takeJoinNonce(null), "unauthorized");
    }
}
