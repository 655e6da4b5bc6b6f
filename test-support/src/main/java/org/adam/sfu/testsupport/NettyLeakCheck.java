package org.adam.sfu.testsupport;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaked a Netty buffer. Netty's leak detector (at the level the build sets,
 * paranoid) only logs "LEAK:" when a leaked buffer has been garbage collected and a later
 * allocation looks; so after each test this collects garbage, waits until the collection's
 * references have been processed, allocates to make the detector report, and fails the test
 * with every report that came in since the previous check.
 *
 * <p>Installed by JUnit's extension auto-detection (the build enables it) in every module that
 * has this artifact on its test class path.
 */
public final class NettyLeakCheck implements BeforeAllCallback, AfterEachCallback {

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final ConcurrentLinkedQueue<String> REPORTS = new ConcurrentLinkedQueue<>();
    private static final long SURFACE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> leaks = collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) reported during or before "
                    + context.getDisplayName() + ":\n" + String.join("\n", leaks));
        }
    }

    /** Starts listening to the ByteBuf leak detector (once per JVM). */
    public static void install() {
        if (INSTALLED.compareAndSet(false, true)) {
            ByteBufUtil.setLeakListener((resourceType, records) ->
                    REPORTS.add("LEAK: " + resourceType + " was garbage collected without release()"
                            + (records.isEmpty() ? "" : "; recent accesses:\n" + records)));
        }
    }

    /** Makes pending leaks surface and takes every report not yet taken. */
    public static List<String> collect() {
        install();
        surface();
        List<String> taken = new ArrayList<>();
        for (String report; (report = REPORTS.poll()) != null; ) {
            taken.add(report);
        }
        return taken;
    }

    private static void surface() {
        // Twice: the sentinel of one collection can be enqueued before the detector's own
        // references from the same collection (the reference handler hands them over in no set
        // order), so a leak could surface only at the next test's check and fail that test. By
        // the second collection's sentinel, the first collection's references have been handed over.
        for (int round = 0; round < 2; round++) {
            collectGarbage();
            // The detector looks at its queue when a tracked buffer is allocated (unpooled heap
            // buffers are not tracked; unpooled direct ones are).
            ByteBuf probe = UnpooledByteBufAllocator.DEFAULT.directBuffer(1);
            probe.release();
        }
    }

    /** Collects garbage until a phantom-reachable sentinel shows the collection's references enqueued. */
    private static void collectGarbage() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
        long deadline = System.nanoTime() + SURFACE_TIMEOUT_NANOS;
        try {
            do {
                System.gc();
            } while (queue.remove(20) == null && System.nanoTime() < deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sentinel.clear();
    }
}
