package org.adam.sfu.room;

import java.util.ArrayList;
import java.util.List;

/** A client link that keeps what it was sent and told. */
final class RecordingLink implements ClientLink {

    final List<ClientEvent> sent = new ArrayList<>();
    final List<ParticipantId> ended = new ArrayList<>();
    boolean closed;

    @Override
    public void send(ClientEvent event) {
        sent.add(event);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void participantEnded(ParticipantId participantId) {
        ended.add(participantId);
    }
}
