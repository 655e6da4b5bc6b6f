package org.adam.sfu.webrtc.transport;

/** A media clock that moves only when a test advances it. Test thread only. */
final class ManualMediaClock implements MediaClock {

    private long nanos;
    private long millis;

    ManualMediaClock(long startMillis) {
        this.millis = startMillis;
        this.nanos = startMillis * 1_000_000L;
    }

    void advanceMillis(long delta) {
        millis += delta;
        nanos += delta * 1_000_000L;
    }

    @Override
    public long nanos() {
        return nanos;
    }

    @Override
    public long millis() {
        return millis;
    }
}
