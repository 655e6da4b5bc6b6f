package org.adam.sfu.signal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.adam.sfu.room.ResumeToken;
import org.adam.sfu.signal.ErrorCodes;
import org.adam.sfu.signal.ProtocolException;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

class JoinAuthenticatorTest {

    private final Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
    private final String did = DidKey.fromPublicKey(key.generatePublicKey().getEncoded());

    private String sign(String text) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        signer.update(bytes, 0, bytes.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(signer.generateSignature());
    }

    /** The protocol code the stage was refused with, or null when it succeeded. */
    private static String outcome(CompletionStage<Void> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            ProtocolException refused = JoinAuthenticator.refusal(e.getCause());
            assertThat(refused).as("refused with a protocol error, not %s", e.getCause()).isNotNull();
            return refused.code();
        }
    }

    @Test
    void anOpenResumeNeedsTheParticipantsToken() throws Exception {
        JoinAuthenticator open = new JoinAuthenticator(AuthMode.OPEN);
        ResumeToken token = ResumeToken.random();
        assertThat(outcome(open.verifyResume("d", null, null, token, "N", "p-1", "r"))).isEqualTo(ErrorCodes.UNAUTHORIZED);
        assertThat(outcome(open.verifyResume("d", null, "guess", token, "N", "p-1", "r")))
                .isEqualTo(ErrorCodes.UNAUTHORIZED);
        assertThat(outcome(open.verifyResume("d", null, ResumeToken.random().value(), token, "N", "p-1", "r")))
                .isEqualTo(ErrorCodes.UNAUTHORIZED);
        assertThat(outcome(open.verifyResume("d", null, token.value(), token, "N", "p-1", "r"))).isNull();
    }

    @Test
    void resumeTokensAreLongRandomAndNeverPrinted() {
        ResumeToken token = ResumeToken.random();
        assertThat(Base64.getUrlDecoder().decode(token.value())).hasSizeGreaterThanOrEqualTo(16);
        assertThat(token.value()).isNotEqualTo(ResumeToken.random().value());
        assertThat(token.toString()).doesNotContain(token.value());
    }

    @Test
    void aDidResumeStillTakesTheProof() throws Exception {
        JoinAuthenticator auth = new JoinAuthenticator(AuthMode.DID);
        ResumeToken token = ResumeToken.random();
        String proof = sign("adam-sfu-resume:N:p-1");
        assertThat(outcome(auth.verifyResume(did, proof, null, token, "N", "p-1", "r"))).isNull();
        assertThat(outcome(auth.verifyResume(did, proof, null, token, "M", "p-1", "r")))
                .isEqualTo(ErrorCodes.UNAUTHORIZED);
        assertThat(outcome(auth.verifyResume(did, null, token.value(), token, "N", "p-1", "r")))
                .as("the token does not stand in for the proof").isEqualTo(ErrorCodes.UNAUTHORIZED);
    }

    @Test
    void proofsAreVerifiedOffTheCallingThread() throws Exception {
        JoinAuthenticator auth = new JoinAuthenticator(AuthMode.DID);
        Thread caller = Thread.currentThread();
        Thread[] verifiedOn = new Thread[1];
        JoinAuthenticator recording = new JoinAuthenticator(AuthMode.DID, task -> {
            Thread thread = new Thread(() -> {
                verifiedOn[0] = Thread.currentThread();
                task.run();
            });
            thread.start();
        });
        String proof = sign("adam-sfu-join:N:n:r");
        assertThat(outcome(recording.verifyJoin(did, proof, "N", "n", "r", "1"))).isNull();
        assertThat(verifiedOn[0]).isNotNull().isNotSameAs(caller);
        assertThat(outcome(auth.verifyJoin(did, proof, "N", "n", "other", "1"))).isEqualTo(ErrorCodes.UNAUTHORIZED);
    }

    @Test
    void aFullVerifierRefusesAtOnce() throws Exception {
        JoinAuthenticator busy = new JoinAuthenticator(AuthMode.DID, task -> {
            throw new RejectedExecutionException("full");
        });
        assertThat(outcome(busy.verifyJoin(did, sign("adam-sfu-join:N:n:r"), "N", "n", "r", "1")))
                .isEqualTo(ErrorCodes.INTERNAL);
    }
}
