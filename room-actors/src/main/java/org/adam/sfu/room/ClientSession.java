package org.adam.sfu.room;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A participant's way to its client across sockets: the link in use (detached while the socket
 * is gone), the reconnect grace a dropped socket starts, and the room-state events sent, numbered
 * and kept, so that a client resuming on a new socket is sent what the old one lost. A plain state
 * machine: time comes from the clock it is given. Touched only by the participant's actor thread.
 */
final class ClientSession {

    private final ParticipantId id;
    private final Duration grace;
    private final Clock clock;
    private final ParticipantLog log;
    private final RoomEventLog events = new RoomEventLog();
    private ClientLink link;
    /** When the grace of a dropped socket ends; null while a socket is attached. */
    private Instant graceEnds;

    ClientSession(ParticipantId id, ClientLink link, Duration grace, Clock clock, ParticipantLog log) {
        this.id = id;
        this.link = link;
        this.grace = grace;
        this.clock = clock;
        this.log = log;
    }

    ClientLink link() {
        return link;
    }

    void send(ClientEvent event) {
        link.send(event);
    }

    /** A room-state event: numbered and kept, so a resuming client gets it even if its old socket lost it. */
    void sendRoomEvent(ClientEvent event) {
        link.send(events.append(event));
    }

    /** The socket closed: what is sent is dropped until a resume, and the grace starts now. */
    void linkLost() {
        link = ClientLink.DETACHED;
        graceEnds = clock.instant().plus(grace);
    }

    /** What is left of the grace: zero once it is over; null while a socket is attached. */
    Duration graceLeft() {
        if (graceEnds == null) {
            return null;
        }
        Duration left = Duration.between(clock.instant(), graceEnds);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * The client is back on {@code newLink}: the grace stops, a link still attached is closed, the
     * client is sent {@code joined} and then the room-state events after {@code lastSeq}.
     */
    void resume(ClientLink newLink, ClientEvent joined, Long lastSeq) {
        ClientLink previous = link;
        link = newLink;
        graceEnds = null;
        if (previous != ClientLink.DETACHED) {
            // Detached first: the old socket's closing must not take the new one's place (LinkLost).
            previous.participantEnded(id);
            previous.close();
        }
        link.send(joined);
        replayAfter(lastSeq);
    }

    /** After a resume's `joined`: sends the room-state events after {@code lastSeq} (null: the client does not say). */
    private void replayAfter(Long lastSeq) {
        if (lastSeq == null) {
            return;
        }
        List<ClientEvent.Sequenced> missed = events.after(lastSeq);
        if (missed == null) {
            log.info("resume after event {}, but events up to {} are no longer kept: nothing replayed", lastSeq,
                    events.lastSeq());
            return;
        }
        missed.forEach(link::send);
        if (!missed.isEmpty()) {
            log.info("resumed: replayed {} room event(s) the client missed", missed.size());
        }
    }
}
