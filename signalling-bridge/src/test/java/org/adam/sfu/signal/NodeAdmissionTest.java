package org.adam.sfu.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.adam.sfu.room.ClientLink;
import org.adam.sfu.room.ClientEvent;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.SfuNode;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class NodeAdmissionTest {

    private static final ActorTestKit KIT = ActorTestKit.create();

    private final TestProbe<SfuNode.Command> node = KIT.createTestProbe();
    private final NodeAdmission admission = new NodeAdmission(node.getRef(), KIT.system(),
            new SignalSettings("node-a", 1024, Duration.ofSeconds(15), Duration.ofSeconds(45), Duration.ofSeconds(5)));

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void aJoinIsAskedWithItsLinkAndANamelessJoinGetsAnEmptyName() throws Exception {
        ClientLink link = new ClientLink() {
            @Override
            public void send(ClientEvent event) {
            }

            @Override
            public void close() {
            }
        };
        var outcome = admission.admit(new ClientRequest.Join("j", "https://n.example", "lobby", "did:key:z", null,
                null, false), link);
        SfuNode.Join join = node.expectMessageClass(SfuNode.Join.class);
        assertThat(join.request()).isEqualTo(new SfuNode.JoinRequest("j", "https://n.example", "lobby", "did:key:z",
                "", false));
        assertThat(join.link()).isSameAs(link);
        join.replyTo().tell(new SfuNode.Full("full"));
        assertThat(outcome.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(new SfuNode.Full("full"));
    }

    @Test
    void aResumeFindsTheParticipantByItsId() throws Exception {
        var found = admission.find("p7");
        SfuNode.FindParticipant find = node.expectMessageClass(SfuNode.FindParticipant.class);
        assertThat(find.participantId()).isEqualTo(new ParticipantId("p7"));
        find.replyTo().tell(Optional.empty());
        assertThat(found.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEmpty();
    }
}
