package org.adam.sfu.webrtc.transport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node-wide count of ICE-TCP connections that have not yet sent a valid ICE check. Anyone can
 * open a TCP connection; only a peer that knows a transport's credentials gets past this count,
 * so bounding it bounds what strangers hold (sockets, a deadline timer, a partial frame each).
 * Touched once per connection, never per packet.
 */
final class PendingTcpConnections {

    private final int max;
    private final AtomicInteger pending = new AtomicInteger();

    PendingTcpConnections(int max) {
        this.max = max;
    }

    /** Takes a place for a new connection; false when all {@code max} are taken. */
    boolean tryAcquire() {
        while (true) {
            int now = pending.get();
            if (now >= max) {
                return false;
            }
            if (pending.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** The connection was authenticated or closed. */
    void release() {
        pending.decrementAndGet();
    }

    int pending() {
        return pending.get();
    }
}
