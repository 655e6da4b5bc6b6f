package org.adam.sfu.room;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The room-state events one participant's client was sent (who joined and left, which tracks
 * came, went or were muted), numbered from 1 and kept, the last {@link #CAPACITY} of them, so that
 * a client that lost its socket gets what it missed when it resumes: the old socket may have
 * swallowed events before anyone noticed it was dead. Actor-confined.
 */
final class RoomEventLog {

    /** More than a resume grace (10 s) of any room's churn; each entry is one small event. */
    static final int CAPACITY = 256;

    private final ArrayDeque<ClientEvent.Sequenced> recent = new ArrayDeque<>();
    private long lastSeq;

    /** Numbers {@code event} and keeps it. */
    ClientEvent.Sequenced append(ClientEvent event) {
        ClientEvent.Sequenced sequenced = new ClientEvent.Sequenced(++lastSeq, event);
        if (recent.size() == CAPACITY) {
            recent.removeFirst();
        }
        recent.addLast(sequenced);
        return sequenced;
    }

    /** The number of the last event sent, 0 before any. */
    long lastSeq() {
        return lastSeq;
    }

    /**
     * The events after {@code seq}, in order.
     *
     * @return null when some of them are no longer kept (or {@code seq} is ahead of the log):
     *         the client cannot be brought up to date by replay
     */
    List<ClientEvent.Sequenced> after(long seq) {
        if (seq > lastSeq || seq < 0) {
            return null;
        }
        long oldestKept = recent.isEmpty() ? lastSeq + 1 : recent.peekFirst().seq();
        if (seq + 1 < oldestKept) {
            return null;
        }
        List<ClientEvent.Sequenced> missed = new ArrayList<>();
        for (ClientEvent.Sequenced event : recent) {
            if (event.seq() > seq) {
                missed.add(event);
            }
        }
        return missed;
    }
}
