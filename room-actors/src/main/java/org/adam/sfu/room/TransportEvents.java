package org.adam.sfu.room;

import org.adam.sfu.webrtc.transport.TransportListener;
import org.adam.sfu.webrtc.transport.WebRtcTransport;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A peer connection's transport events as messages to its participant. They are called on the
 * media event loop's threads; they only ever post a message to the actor, which owns all state.
 */
final class TransportEvents implements TransportListener {

    private final String pc;
    private final ActorRef<Participant.Command> participant;

    TransportEvents(String pc, ActorRef<Participant.Command> participant) {
        this.pc = pc;
        this.participant = participant;
    }

    @Override
    public void onConnected() {
        participant.tell(new Participant.TransportConnected(pc));
    }

    @Override
    public void onClosed(String reason) {
        participant.tell(new Participant.TransportClosed(pc, reason, false));
    }

    @Override
    public void onClosedByPeer() {
        participant.tell(new Participant.TransportClosed(pc, WebRtcTransport.CLOSED_BY_PEER, true));
    }

    @Override
    public void onConsentLost() {
        participant.tell(new Participant.ConsentLost(pc));
    }

    @Override
    public void onConsentRestored() {
        participant.tell(new Participant.ConsentRestored(pc));
    }
}
