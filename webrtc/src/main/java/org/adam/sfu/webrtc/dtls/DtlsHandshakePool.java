package org.adam.sfu.webrtc.dtls;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's threads for DTLS handshakes (decision 0020). BouncyCastle's handshake blocks its
 * thread while it waits for the peer, so handshakes run here: on a fixed number of threads, with
 * a bounded queue of handshakes waiting for one, and a timer that abandons a handshake at its
 * deadline. Beyond the queue a handshake is refused, never given a thread of its own. A finished
 * handshake gives its thread back: the association's later records are processed without one
 * ({@link DtlsEndpoint}).
 */
public final class DtlsHandshakePool implements AutoCloseable {

    /** Handshakes that may wait for a thread, unless configured otherwise. */
    public static final int DEFAULT_QUEUE = 256;

    private static final Logger LOG = LoggerFactory.getLogger(DtlsHandshakePool.class);
    /** A thread idle this long ends; the pool starts it again (up to its size) when needed. */
    private static final long IDLE_SECONDS = 30;

    private final ThreadPoolExecutor handshakes;
    private final ScheduledThreadPoolExecutor deadlines;
    private final int threads;
    private final int queue;
    private final LongAdder refused = new LongAdder();
    private final LongAdder abandoned = new LongAdder();

    /**
     * @param threads handshakes that run at once
     * @param queue   handshakes that may wait for one of those threads
     */
    public DtlsHandshakePool(int threads, int queue) {
        if (threads < 1 || queue < 1) {
            throw new IllegalArgumentException("DTLS handshakes need at least one thread and one queue slot, not "
                    + threads + " and " + queue);
        }
        this.threads = threads;
        this.queue = queue;
        this.handshakes = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), daemonThreads("dtls-handshake"), new ThreadPoolExecutor.AbortPolicy());
        this.handshakes.allowCoreThreadTimeOut(true);
        this.deadlines = new ScheduledThreadPoolExecutor(1, daemonThreads("dtls-deadline"));
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    /**
     * Four per core, at least 8: a handshake spends most of its time waiting for its peer (two
     * round trips), not on a core, so fewer threads would leave cores idle while joins queue.
     */
    public static int defaultThreads() {
        return Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    }

    /**
     * Runs {@code handshake} on a pool thread when one is free.
     *
     * @return false, after a log line, if every thread is busy and the queue is full
     */
    boolean submit(Runnable handshake, String peer) {
        try {
            handshakes.execute(handshake);
            return true;
        } catch (RejectedExecutionException e) {
            refused.increment();
            LOG.warn("DTLS handshake with {} refused: {} handshakes running and {} waiting, the most allowed"
                    + " (sfu.media.dtls-handshake-threads, sfu.media.dtls-handshake-queue)", peer, threads, queue);
            return false;
        }
    }

    /** Takes a handshake that has not started out of the queue (its association ended meanwhile). */
    void withdraw(Runnable handshake) {
        handshakes.remove(handshake);
    }

    /** Runs {@code abandon} after {@code delayMillis} unless cancelled; null once the pool is closed. */
    ScheduledFuture<?> atDeadline(Runnable abandon, long delayMillis) {
        try {
            return deadlines.schedule(abandon, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    void countAbandoned() {
        abandoned.increment();
    }

    /** Handshakes on a thread now. */
    public int running() {
        return handshakes.getActiveCount();
    }

    /** Handshakes waiting for a thread. */
    public int waiting() {
        return handshakes.getQueue().size();
    }

    /** Handshakes refused because threads and queue were all taken, since the start. */
    public long refused() {
        return refused.sum();
    }

    /** Handshakes not finished by their deadline, since the start. */
    public long abandoned() {
        return abandoned.sum();
    }

    public int threads() {
        return threads;
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        handshakes.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
