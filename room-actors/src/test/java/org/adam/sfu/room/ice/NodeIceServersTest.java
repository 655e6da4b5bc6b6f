package org.adam.sfu.room.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;

import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.policy.SfuConfig.IceServer;
import org.junit.jupiter.api.Test;

class NodeIceServersTest {

    private static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(1_767_139_200L), ZoneOffset.UTC);
    private static final ParticipantId ALICE = new ParticipantId("p-0123456789ab");
    private static final IceServer TURN = new IceServer(
            List.of("turn:198.18.1.2:3478?transport=udp", "turn:198.18.1.2:3478?transport=tcp"), null, null);
    private static final IceServer STUN = new IceServer(List.of("stun:198.18.1.2:3478"), null, null);
    private static final IceServer NEIGHBOURHOOD_TURN =
            new IceServer(List.of("turn:turn.example.org"), "member", "password");

    @Test
    void turnServersWithoutUsernameGetAPerJoinRestCredential() {
        NodeIceServers node = NodeIceServers.of(List.of(STUN, TURN), TurnSecret.of("secret-of-the-lab"),
                Duration.ofDays(1), NOW);
        List<IceServer> servers = node.forParticipant(ALICE, List.of());
        assertThat(servers).hasSize(2);
        assertThat(servers.get(0)).isEqualTo(STUN);
        IceServer turn = servers.get(1);
        assertThat(turn.urls()).isEqualTo(TURN.urls());
        // Expiry = now + 1 day = 1767225600, the vector of TurnRestCredentialTest.
        assertThat(turn.username()).isEqualTo("1767225600:p-0123456789ab");
        assertThat(turn.credential()).isEqualTo("Ag02OWoxhYVVOCokp8YGyEIFq0M=");
    }

    @Test
    void nodeServersComeFirstThenTheNeighbourhoodsEachOnce() {
        IceServer fixed = new IceServer(List.of("turn:198.18.1.2:3478"), "lab", "pass");
        NodeIceServers node = NodeIceServers.of(List.of(fixed, STUN), null, Duration.ZERO, NOW);
        assertThat(node.forParticipant(ALICE, List.of(NEIGHBOURHOOD_TURN, STUN)))
                .containsExactly(fixed, STUN, NEIGHBOURHOOD_TURN);
    }

    @Test
    void withoutNodeServersTheNeighbourhoodsAreHandedOnAsTheyAre() {
        List<IceServer> neighbourhood = List.of(NEIGHBOURHOOD_TURN);
        assertThat(NodeIceServers.none().forParticipant(ALICE, neighbourhood)).isSameAs(neighbourhood);
        assertThat(NodeIceServers.none().forParticipant(ALICE, List.of())).isEmpty();
    }

    @Test
    void refusesConfigurationsABrowserWouldRefuse() {
        TurnSecret secret = TurnSecret.of("s");
        assertThatThrownBy(() -> NodeIceServers.of(List.of(TURN), null, Duration.ZERO, NOW))
                .hasMessageContaining("needs a username and credential, or turn-secret");
        assertThatThrownBy(() -> NodeIceServers.of(List.of(STUN), secret, Duration.ofHours(1), NOW))
                .hasMessageContaining("no turn: or turns: server without a username");
        assertThatThrownBy(() -> NodeIceServers.of(List.of(TURN), secret, Duration.ZERO, NOW))
                .hasMessageContaining("turn-secret-ttl");
        assertThatThrownBy(() -> NodeIceServers.of(
                List.of(new IceServer(List.of("http://x"), null, null)), null, Duration.ZERO, NOW))
                .hasMessageContaining("is not a stun:, turn: or turns: url");
        assertThatThrownBy(() -> NodeIceServers.of(
                List.of(new IceServer(List.of("turn:x"), "user", null)), null, Duration.ZERO, NOW))
                .hasMessageContaining("username and credential go together");
        assertThatThrownBy(() -> NodeIceServers.of(Collections.nCopies(17, STUN), null, Duration.ZERO, NOW))
                .hasMessageContaining("at most 16");
        assertThatThrownBy(() -> NodeIceServers.of(
                List.of(new IceServer(List.of("stun:" + "x".repeat(600)), null, null)), null, Duration.ZERO, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
