package org.adam.sfu.signal.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.adam.sfu.room.ResumeToken;
import org.adam.sfu.signal.ErrorCodes;
import org.adam.sfu.signal.ProtocolException;

/**
 * Checks join and resume proofs. The join proof signs
 * {@code adam-sfu-join:<nonce>:<neighbourhood>:<room>} (protocol.md); the resume proof signs
 * {@code adam-sfu-resume:<nonce>:<participantId>}, both with the nonce exactly as `hello` sent it.
 * Under open auth a resume presents the participant's resume token instead.
 *
 * <p>An Ed25519 verification costs a few hundred microseconds: the asynchronous checks run it on
 * a small pool of its own with a bounded queue, never on the event loop that serves every
 * socket, and refuse at once when the queue is full.
 */
public final class JoinAuthenticator {

    /** Proofs waiting to be verified; beyond this a join or resume is refused (`internal`, try again). */
    public static final int MAX_QUEUED_PROOFS = 256;

    private final AuthMode mode;
    private final Executor verifier;

    /** Verifies on a pool of its own: one or two daemon threads. */
    public JoinAuthenticator(AuthMode mode) {
        this(mode, defaultVerifier());
    }

    /** @param verifier where proofs are verified; it may refuse work with {@link RejectedExecutionException} */
    public JoinAuthenticator(AuthMode mode, Executor verifier) {
        this.mode = mode;
        this.verifier = verifier;
    }

    private static Executor defaultVerifier() {
        int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED_PROOFS), runnable -> {
                    Thread thread = new Thread(runnable, "did-proofs");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public AuthMode mode() {
        return mode;
    }

    /** Checks a join on the calling thread (for callers that are not an event loop). */
    public void checkJoin(String did, String proof, String nonce, String neighbourhood, String room,
                          String requestId) throws ProtocolException {
        check(did, proof, joinText(nonce, neighbourhood, room), requestId);
    }

    /**
     * Checks a join off the calling thread; completes exceptionally with {@link ProtocolException}
     * when refused. Under open auth it is complete at once.
     */
    public CompletionStage<Void> verifyJoin(String did, String proof, String nonce, String neighbourhood,
                                            String room, String requestId) {
        if (mode == AuthMode.OPEN) {
            return CompletableFuture.completedFuture(null);
        }
        return offVerifier(() -> check(did, proof, joinText(nonce, neighbourhood, room), requestId), requestId);
    }

    /**
     * Checks a resume: under DID auth the proof by {@code did}, the DID the participant joined
     * with (off the calling thread); under open auth the token the participant's `joined` carried,
     * compared in constant time.
     */
    public CompletionStage<Void> verifyResume(String did, String proof, String presentedToken, ResumeToken token,
                                              String nonce, String participantId, String requestId) {
        if (mode == AuthMode.OPEN) {
            if (token == null || !token.matches(presentedToken)) {
                return CompletableFuture.failedFuture(new ProtocolException(ErrorCodes.UNAUTHORIZED,
                        "resume needs the resumeToken of this participant's joined", requestId));
            }
            return CompletableFuture.completedFuture(null);
        }
        return offVerifier(() -> check(did, proof, "adam-sfu-resume:" + nonce + ":" + participantId, requestId),
                requestId);
    }

    /** The refusal a failed verification stage carries, or null when {@code failure} is something else. */
    public static ProtocolException refusal(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof ProtocolException refused ? refused : null;
    }

    @FunctionalInterface
    private interface Check {
        void run() throws ProtocolException;
    }

    private CompletionStage<Void> offVerifier(Check check, String requestId) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            verifier.execute(() -> {
                try {
                    check.run();
                    done.complete(null);
                } catch (ProtocolException | RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException busy) {
            done.completeExceptionally(new ProtocolException(ErrorCodes.INTERNAL,
                    "the node is verifying too many proofs; try again", requestId));
        }
        return done;
    }

    private static String joinText(String nonce, String neighbourhood, String room) {
        return "adam-sfu-join:" + nonce + ":" + neighbourhood + ":" + room;
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
