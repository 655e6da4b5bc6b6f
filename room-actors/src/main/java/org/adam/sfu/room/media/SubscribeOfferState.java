package org.adam.sfu.room.media;

import java.util.Optional;

/**
 * The offer/answer cycle of a subscribe connection, where the node offers: at most one offer is
 * outstanding (protocol.md); changes made meanwhile make the next one due once it is answered.
 * The outstanding offer is kept, to be sent again to a client that resumes on a new socket.
 * Pure state, used only on the owning participant's actor thread.
 */
final class SubscribeOfferState {

    private boolean changed;
    private boolean outstanding;
    private String outstandingSdp;
    /** The o= line's version of the last offer (RFC 3264 5: one more per offer). */
    private long version;

    /** Something the next offer must say changed. */
    void changed() {
        changed = true;
    }

    /** Whether an offer should be sent now: something changed and none waits for its answer. */
    boolean due() {
        return changed && !outstanding;
    }

    /**
     * An offer is being made: nothing is pending any more, and it waits for its answer.
     *
     * @return the version the offer carries
     */
    long offering() {
        changed = false;
        outstanding = true;
        return ++version;
    }

    /** The offer made is {@code sdp}. */
    void offered(String sdp) {
        outstandingSdp = sdp;
    }

    /** The client answered (or its answer could not be read): no offer waits any more. */
    void answered() {
        outstanding = false;
    }

    boolean awaitingAnswer() {
        return outstanding;
    }

    /** The offer that waits for its answer, if one does. */
    Optional<String> outstanding() {
        return outstanding ? Optional.of(outstandingSdp) : Optional.empty();
    }
}
