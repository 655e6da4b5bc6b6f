package org.adam.sfu.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The check fails exactly the test that dropped a buffer. The example classes are nested, so the
 * build's test scan does not run them on their own; this test runs them through JUnit itself.
 */
class NettyLeakCheckTest {

    @Test
    void failsTheTestThatLeaksABuffer() {
        Events tests = run(LeakingExample.class);
        tests.assertStatistics(stats -> stats.started(1).failed(1));
        Throwable failure = tests.failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("LEAK:")
                .hasMessageContaining("dropsABufferWithoutReleasingIt");
    }

    @Test
    void passesATestThatReleasesWhatItAllocates() {
        run(ReleasingExample.class).assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    private static Events run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(testClass))
                .execute()
                .testEvents();
    }

    static class LeakingExample {
        @Test
        void dropsABufferWithoutReleasingIt() {
            ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
            buffer.writeInt(42);
            // no release: the check must fail this test
        }
    }

    static class ReleasingExample {
        @Test
        void releasesItsBuffer() {
            ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
            buffer.writeInt(42);
            buffer.release();
        }
    }
}
