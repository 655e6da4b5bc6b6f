package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * A socket that dies without anyone noticing swallows the events sent to it: a client that
 * resumes on a new socket and says the last room event it got (`lastSeq`) is sent the ones it
 * missed, in order and with their numbers, after its `joined` (docs/protocol.md, `resume`).
 */
class ResumeReplayTest {

    private static final String NEIGHBOURHOOD = "neighbourhood://test";

    @Test
    void aResumingClientIsSentTheRoomEventsItsOldSocketSwallowed() throws Exception {
        try (NodeProcess node = NodeProcess.start("replay", 18140, 41140, "--auth", "open");
             SignalClient alice = SignalClient.connect(node.signalUrl());
             SignalClient bob = SignalClient.connect(node.signalUrl());
             SignalClient carol = SignalClient.connect(node.signalUrl());
             SignalClient aliceAgain = SignalClient.connect(node.signalUrl())) {
            alice.next("hello");
            alice.send(join("a", "did:key:z6MkAlice"));
            JsonNode joined = alice.next("joined");
            bob.next("hello");
            bob.send(join("b", "did:key:z6MkBob"));
            String bobId = bob.next("joined").path("participantId").asText();
            JsonNode bobJoined = alice.next("participant-joined");
            assertThat(bobJoined.path("participant").path("participantId").asText()).isEqualTo(bobId);
            long seen = bobJoined.path("seq").asLong();
            assertThat(seen).as("room events are numbered").isPositive();

            // From here on alice's socket is as good as dead: what reaches it is never read.
            carol.next("hello");
            carol.send(join("c", "did:key:z6MkCarol"));
            String carolId = carol.next("joined").path("participantId").asText();
            bob.send("{\"type\":\"leave\"}");

            aliceAgain.next("hello");
            aliceAgain.send("{\"type\":\"resume\",\"id\":\"r\",\"participantId\":\""
                    + joined.path("participantId").asText() + "\",\"resumeToken\":\""
                    + joined.path("resumeToken").asText() + "\",\"lastSeq\":" + seen + "}");
            assertThat(aliceAgain.next("joined").path("id").asText()).isEqualTo("r");
            JsonNode carolJoined = aliceAgain.next("participant-joined");
            assertThat(carolJoined.path("participant").path("participantId").asText()).isEqualTo(carolId);
            assertThat(carolJoined.path("seq").asLong()).isEqualTo(seen + 1);
            JsonNode bobLeft = aliceAgain.next("participant-left");
            assertThat(bobLeft.path("participantId").asText()).isEqualTo(bobId);
            assertThat(bobLeft.path("reason").asText()).isEqualTo("leave");
            assertThat(bobLeft.path("seq").asLong()).isGreaterThan(seen + 1);
        }
    }

    private static String join(String name, String did) {
        return "{\"type\":\"join\",\"id\":\"" + name + "\",\"neighbourhood\":\"" + NEIGHBOURHOOD
                + "\",\"room\":\"replay\",\"did\":\"" + did + "\",\"name\":\"" + name + "\"}";
    }
}
