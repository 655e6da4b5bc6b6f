package org.adam.sfu.signal;

import java.util.List;

import org.adam.sfu.room.LeaveReason;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.TrackId;

/** What a joined client's request asks of its {@link Participant} actor. Stateless; any thread. */
final class ParticipantCommands {

    private ParticipantCommands() {
    }

    /**
     * @return the command, or null when the request needs nothing of the participant (an empty
     * end-of-candidates, or a request a participant does not take: ping, join, resume)
     */
    static Participant.Command of(ClientRequest request) {
        if (request instanceof ClientRequest.Offer offer) {
            return new Participant.ClientOffer(offer.pc(), offer.sdp(), offer.sources(), offer.id());
        } else if (request instanceof ClientRequest.Answer answer) {
            return new Participant.ClientAnswer(answer.pc(), answer.sdp(), answer.id());
        } else if (request instanceof ClientRequest.Candidate candidate) {
            // The node is ICE-lite and learns the client's address from its checks; but checks
            // through the node's own TURN relay pass only from candidates the relay lets in.
            return candidate.candidate().isEmpty() ? null
                    : new Participant.ClientCandidate(candidate.pc(), candidate.candidate());
        } else if (request instanceof ClientRequest.Subscribe subscribe) {
            List<TrackId> ids = subscribe.tracks().stream().map(TrackId::new).toList();
            return new Participant.ClientSubscribe(ids, subscribe.subscribe());
        } else if (request instanceof ClientRequest.SetQuality quality) {
            return new Participant.ClientSetQuality(quality.quality(),
                    quality.track() == null ? null : new TrackId(quality.track()));
        } else if (request instanceof ClientRequest.RestartIce restart) {
            return new Participant.ClientRestartIce(restart.pc(), restart.id());
        } else if (request instanceof ClientRequest.Mute mute) {
            return new Participant.ClientMute(new TrackId(mute.track()), mute.muted(), mute.id());
        } else if (request instanceof ClientRequest.MeshSignal signal) {
            return new Participant.ClientMeshSignal(signal.to(), signal.payload().toString(), signal.id());
        } else if (request instanceof ClientRequest.Leave) {
            return new Participant.ClientLeave(LeaveReason.LEAVE);
        }
        return null;
    }
}
