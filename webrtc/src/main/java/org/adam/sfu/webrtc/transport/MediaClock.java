package org.adam.sfu.webrtc.transport;

/**
 * The media stack's one source of time: a monotonic clock for intervals measured in nanoseconds
 * (pacing, keyframe coalescing, bandwidth estimation) and the wall clock in milliseconds (ICE
 * checks, consent, timeouts). Passed in, so tests drive time by hand instead of sleeping.
 *
 * <p>Threading: implementations are read from any thread and must be safe for that.
 */
public interface MediaClock {

    /** The clock of a running node: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
    MediaClock SYSTEM = new MediaClock() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public long millis() {
            return System.currentTimeMillis();
        }
    };

    /** Monotonic time in nanoseconds, only for differences. */
    long nanos();

    /** Wall-clock time in milliseconds. */
    long millis();
}
