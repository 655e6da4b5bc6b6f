package org.adam.sfu.webrtc.forward;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * JMH's worker threads as Netty's own kind ({@code FastThreadLocalThread}), which is what runs
 * the node's packet path: Netty 4.2 recycles pooled-buffer objects only on such threads, so on
 * JMH's plain threads every forwarded copy would allocate a buffer object the node never does.
 * Chosen with {@code -Djmh.executor=CUSTOM -Djmh.executor.class=<this class>} (JMH calls the
 * (int, String) constructor).
 */
public final class FastThreadLocalExecutor extends ThreadPoolExecutor {

    public FastThreadLocalExecutor(int threads, String prefix) {
        super(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
