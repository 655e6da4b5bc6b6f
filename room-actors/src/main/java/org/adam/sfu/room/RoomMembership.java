package org.adam.sfu.room;

import java.util.List;
import java.util.function.Consumer;

import org.adam.sfu.webrtc.speaker.SpeakerDetection;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A participant's membership of its room: asking to join, how the room took it, what the client
 * is told of the room's events (through {@link ClientRoster} and {@link ClientEventTranslator}),
 * what the client asks of the room (subscriptions), the presence reported so a rebuilt room can
 * restore it, and the room's dominant speaker as this node hears it. Touched only by the
 * participant's actor thread.
 */
final class RoomMembership {

    private final Participant.Setup setup;
    private final ParticipantId id;
    private final ActorRef<Participant.Command> self;
    private final ClientSession session;
    private final PeerNegotiation peers;
    private final ClientRoster roster;
    /** Where the room sends its events for this participant. */
    private final ActorRef<Room.Event> events;
    /** How the room took this participant (topology, mode, ICE servers), repeated on a resume; null before. */
    private Room.Accepted joinedAs;
    /** Hears the room's dominant speaker changes on this node (set once joined). */
    private Consumer<SpeakerDetection.Change> speakerListener;

    RoomMembership(Participant.Setup setup, ActorRef<Participant.Command> self, ActorRef<Room.Event> events,
                   ClientSession session, PeerNegotiation peers) {
        this.setup = setup;
        this.id = setup.info().participantId();
        this.self = self;
        this.events = events;
        this.session = session;
        this.peers = peers;
        this.roster = new ClientRoster(id);
    }

    /** Asks the room to take the participant; it answers to {@code replies}. */
    void join(ActorRef<Room.JoinReply> replies) {
        setup.room().tell(new Room.Join(setup.info(), setup.autoSubscribe(), events, replies));
    }

    /** The room took the participant: the client is told so, and who and what is there. */
    void accepted(Room.Accepted accepted) {
        joinedAs = accepted;
        roster.admitted(accepted.others(), accepted.tracks());
    }

    boolean joined() {
        return joinedAs != null;
    }

    /** `joined` again, on a resume. */
    ClientEvent resumed(String requestId) {
        return ClientEventTranslator.resumed(requestId, setup, joinedAs, peers.published());
    }

    void onEvent(Room.Event event) {
        ClientEvent notice = ClientEventTranslator.notice(event);
        if (notice != null) {
            session.send(notice);
        } else if (event instanceof Room.SubscriptionsChanged changed) {
            peers.subscriptionsChanged(changed.tracks());
        } else if (event instanceof Room.Closed) {
            session.send(ClientEventTranslator.kicked(id));
            self.tell(new Participant.ClientLeave(LeaveReason.KICKED));
        } else if (event instanceof Room.Roster rebuilt) {
            ClientEventTranslator.gone(roster.reconcile(rebuilt)).forEach(session::sendRoomEvent);
        } else if (event instanceof Room.LayersWanted wanted) {
            peers.layersWanted(wanted);
        } else {
            roster.apply(event);
            ClientEvent state = ClientEventTranslator.roomState(event);
            if (state != null) {
                session.sendRoomEvent(state);
            }
        }
    }

    /**
     * Only ids of tracks this participant was told of are kept (and reported to the room every
     * second): others are dropped, so a client cannot grow what the node keeps and sends around.
     */
    void clientSubscribe(Participant.ClientSubscribe request) {
        List<TrackId> known = roster.known(request.trackIds());
        if (known.isEmpty()) {
            return;
        }
        roster.subscribe(known, request.subscribe());
        setup.room().tell(request.subscribe()
                ? new Room.Subscribe(id, known)
                : new Room.Unsubscribe(id, known));
    }

    /** Reports the participant to its room, which rebuilds from these reports after its node failed. */
    void reportPresence() {
        setup.room().tell(new Room.Present(setup.info(), setup.autoSubscribe(), roster.explicitSubscriptions(),
                peers.published(), events));
    }

    /** The participant leaves its room (if the room ever took it). */
    void leave(LeaveReason reason) {
        if (joined()) {
            setup.room().tell(new Room.Leave(id, reason));
        }
    }

    /** From now on the room's dominant speaker changes on this node come as {@link Participant.ActiveSpeaker}. */
    void listenToSpeakers() {
        speakerListener = change -> self.tell(new Participant.ActiveSpeaker(change.participantId(), change.level()));
        setup.media().server(setup.roomKey()).speakers().listen(setup.roomKey().toString(), speakerListener);
    }

    void stopListeningToSpeakers() {
        if (speakerListener != null) {
            setup.media().server(setup.roomKey()).speakers().unlisten(setup.roomKey().toString(), speakerListener);
        }
    }
}
