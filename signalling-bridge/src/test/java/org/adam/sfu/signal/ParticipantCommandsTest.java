package org.adam.sfu.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.adam.sfu.room.LeaveReason;
import org.adam.sfu.room.Participant;
import org.adam.sfu.room.TrackId;
import org.junit.jupiter.api.Test;

class ParticipantCommandsTest {

    @Test
    void eachCallRequestBecomesItsParticipantCommand() {
        assertThat(ParticipantCommands.of(new ClientRequest.Offer("o", "publish", "v=0", Map.of("0", "camera"))))
                .isEqualTo(new Participant.ClientOffer("publish", "v=0", Map.of("0", "camera"), "o"));
        assertThat(ParticipantCommands.of(new ClientRequest.Answer("a", "subscribe", "v=0")))
                .isEqualTo(new Participant.ClientAnswer("subscribe", "v=0", "a"));
        assertThat(ParticipantCommands.of(new ClientRequest.Candidate("c", "publish", "candidate:1", null, null)))
                .isEqualTo(new Participant.ClientCandidate("publish", "candidate:1"));
        assertThat(ParticipantCommands.of(new ClientRequest.Subscribe("s", List.of("t1"), false)))
                .isEqualTo(new Participant.ClientSubscribe(List.of(new TrackId("t1")), false));
        assertThat(ParticipantCommands.of(new ClientRequest.SetQuality("q", "low", null)))
                .isEqualTo(new Participant.ClientSetQuality("low", null));
        assertThat(ParticipantCommands.of(new ClientRequest.SetQuality("q", "high", "t2")))
                .isEqualTo(new Participant.ClientSetQuality("high", new TrackId("t2")));
        assertThat(ParticipantCommands.of(new ClientRequest.RestartIce("r", "publish")))
                .isEqualTo(new Participant.ClientRestartIce("publish", "r"));
        assertThat(ParticipantCommands.of(new ClientRequest.Mute("m", "t3", true)))
                .isEqualTo(new Participant.ClientMute(new TrackId("t3"), true, "m"));
        assertThat(ParticipantCommands.of(new ClientRequest.MeshSignal("x", "p2", Map.of("k", 1))))
                .isEqualTo(new Participant.ClientMeshSignal("p2", "{k=1}", "x"));
        assertThat(ParticipantCommands.of(new ClientRequest.Leave("l")))
                .isEqualTo(new Participant.ClientLeave(LeaveReason.LEAVE));
    }

    @Test
    void anEmptyCandidateAndRequestsForTheSessionAskNothingOfTheParticipant() {
        assertThat(ParticipantCommands.of(new ClientRequest.Candidate("c", "publish", "", null, null))).isNull();
        assertThat(ParticipantCommands.of(new ClientRequest.Ping("p"))).isNull();
    }
}
