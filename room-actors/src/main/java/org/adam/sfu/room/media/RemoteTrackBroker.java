package org.adam.sfu.room.media;

import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Brings tracks published on other nodes to this one (cascaded mode), through pipe transports.
 * When a track is ready its forwarder is in the node's router and {@code notify} gets
 * {@link Participant.RemoteTrackReady}. Implementations only send messages: safe from any thread.
 */
public interface RemoteTrackBroker {

    void need(RoomKey room, TrackInfo track, ParticipantId participant, ActorRef<Participant.Command> notify);

    void release(RoomKey room, TrackId track, ParticipantId participant);

    /**
     * The layers of a remote simulcast track {@code participant} needs now (a bit per layer,
     * lowest first): the pipe carries only the layers some receiver on this node needs.
     */
    void demand(RoomKey room, TrackInfo track, ParticipantId participant, int layers);

}
