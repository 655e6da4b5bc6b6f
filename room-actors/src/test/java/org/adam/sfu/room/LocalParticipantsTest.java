package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;

class LocalParticipantsTest {

    @Test
    void findsWhatAResumeMustMatchAndListsEachRoomOnce() {
        LocalParticipants local = new LocalParticipants();
        TestInbox<Participant.Command> alice = TestInbox.create();
        TestInbox<Participant.Command> bob = TestInbox.create();
        ParticipantId aliceId = ParticipantId.random();
        ParticipantId bobId = ParticipantId.random();
        ResumeToken token = ResumeToken.random();
        local.add(aliceId, alice.getRef(), new RoomKey("neighbourhood://n", "zeta"), "did:key:z6MkA", token);
        local.add(bobId, bob.getRef(), new RoomKey("neighbourhood://n", "alpha"), "did:key:z6MkB", ResumeToken.random());
        local.add(ParticipantId.random(), TestInbox.<Participant.Command>create().getRef(),
                new RoomKey("neighbourhood://n", "zeta"), "did:key:z6MkC", ResumeToken.random());

        assertThat(local.find(aliceId)).contains(new SfuNode.Found(alice.getRef(), "did:key:z6MkA", token));
        assertThat(local.find(ParticipantId.random())).isEmpty();
        assertThat(local.roomNames()).containsExactly(new RoomKey("neighbourhood://n", "alpha").toString(),
                new RoomKey("neighbourhood://n", "zeta").toString());
        assertThat(local.size()).isEqualTo(3);

        local.remove(aliceId);
        Participant.Reconnect reconnect = new Participant.Reconnect("wss://b.example/signal", "drain");
        local.tellAll(reconnect);
        assertThat(local.find(aliceId)).isEmpty();
        assertThat(alice.hasMessages()).isFalse();
        bob.expectMessage(reconnect);
    }
}
