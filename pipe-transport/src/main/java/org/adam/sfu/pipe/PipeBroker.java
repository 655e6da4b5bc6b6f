package org.adam.sfu.pipe;

import org.adam.sfu.room.Participant;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.room.media.RemoteTrackBroker;
import org.apache.pekko.actor.typed.ActorRef;

/** Participants' view of the node's {@link PipeManager}: needs and releases become messages. */
public final class PipeBroker implements RemoteTrackBroker {

    private final ActorRef<PipeManager.Command> manager;

    public PipeBroker(ActorRef<PipeManager.Command> manager) {
        this.manager = manager;
    }

    @Override
    public void need(RoomKey room, TrackInfo track, ParticipantId participant, ActorRef<Participant.Command> notify) {
        manager.tell(new PipeManager.Need(room, track, participant, notify));
    }

    @Override
    public void demand(RoomKey room, TrackInfo track, ParticipantId participant, int layers) {
        manager.tell(new PipeManager.Demand(room, track, participant, layers));
    }

    @Override
    public void release(RoomKey room, TrackId track, ParticipantId participant) {
        manager.tell(new PipeManager.Release(room, track, participant));
    }
}
