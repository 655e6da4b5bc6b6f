package org.adam.sfu.room;

/**
 * The way back to a participant's client (a WebSocket today). Implementations must be safe to
 * call from any thread and must never block.
 */
public interface ClientLink {

    void send(ClientEvent event);

    /** Closes the underlying connection, e.g. after a resume moved the participant elsewhere. */
    void close();

    /** The participant behind this link is gone (left, timed out, failed); the socket may join again. */
    default void participantEnded(ParticipantId participantId) {
    }

    /** A link that drops everything: used while a participant's socket is gone. */
    ClientLink DETACHED = new ClientLink() {
        @Override
        public void send(ClientEvent event) {
        }

        @Override
        public void close() {
        }
    };
}
