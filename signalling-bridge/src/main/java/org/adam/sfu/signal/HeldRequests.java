package org.adam.sfu.signal;

import java.util.ArrayDeque;

/**
 * Requests that arrive after the participant actor sent `joined` but before the session learnt
 * the actor's address (the two race); replayed once it is known. Bounded, so a client cannot
 * queue without end while its join is checked. Owned by one {@link SignalSession}; touched only
 * on its socket's event loop.
 */
final class HeldRequests {

    static final int MAX_HELD = 64;

    private final ArrayDeque<ClientRequest> held = new ArrayDeque<>();

    /** @return false, holding nothing, when {@link #MAX_HELD} requests wait already */
    boolean hold(ClientRequest request) {
        if (held.size() >= MAX_HELD) {
            return false;
        }
        held.add(request);
        return true;
    }

    /** The oldest held request, no longer held; null when none waits. */
    ClientRequest next() {
        return held.poll();
    }
}
