package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.ice.NodeIceServers;
import org.adam.sfu.room.policy.SfuConfig.IceServer;
import org.junit.jupiter.api.Test;

class IceServersSettingTest {

    private static final ParticipantId ALICE = new ParticipantId("p-0123456789ab");

    private static NodeIceServers fromCommandLine(String... args) {
        return IceServersSetting.read(withDefaults(ConfigFactory.parseMap(CommandLine.parse(args).overrides())));
    }

    private static Config withDefaults(Config config) {
        return config.withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void byDefaultTheNodeAddsNoServers() {
        assertThat(IceServersSetting.read(withDefaults(ConfigFactory.empty())).isEmpty()).isTrue();
    }

    @Test
    void commaSeparatedUrlsAreOneServerThatTakesTheRestCredential() {
        NodeIceServers servers = fromCommandLine("--ice-servers",
                "turn:198.18.1.2:3478?transport=udp, turn:198.18.1.2:3478?transport=tcp", "--turn-secret", "s3cret");
        List<IceServer> joined = servers.forParticipant(ALICE, List.of());
        assertThat(joined).hasSize(1);
        assertThat(joined.get(0).urls())
                .containsExactly("turn:198.18.1.2:3478?transport=udp", "turn:198.18.1.2:3478?transport=tcp");
        assertThat(joined.get(0).username()).endsWith(":p-0123456789ab");
        long expiry = Long.parseLong(joined.get(0).username().split(":")[0]);
        long inADay = System.currentTimeMillis() / 1000 + 24 * 3600;
        assertThat(expiry).as("default ttl: 24 h").isBetween(inADay - 60, inADay + 60);
        assertThat(servers.toString()).doesNotContain("s3cret");
    }

    @Test
    void aJsonArrayOnTheCommandLineKeepsConfiguredCredentials() {
        NodeIceServers servers = fromCommandLine("--ice-servers",
                "[{\"urls\":\"turn:198.18.1.2:3478\",\"username\":\"lab\",\"credential\":\"pass\"}]");
        assertThat(servers.forParticipant(ALICE, List.of()))
                .containsExactly(new IceServer(List.of("turn:198.18.1.2:3478"), "lab", "pass"));
        assertThat(servers.toString()).doesNotContain("pass");
    }

    @Test
    void hoconListsAndTheTtlAreRead() {
        NodeIceServers servers = IceServersSetting.read(withDefaults(ConfigFactory.parseString("""
                sfu.ice-servers = [{ urls = ["stun:198.18.1.2:3478"] }, { urls = "turns:turn.example.org:443" }]
                sfu.turn-secret = "s3cret"
                sfu.turn-secret-ttl = 1h
                """)));
        List<IceServer> joined = servers.forParticipant(ALICE, List.of());
        assertThat(joined.get(0)).isEqualTo(new IceServer(List.of("stun:198.18.1.2:3478"), null, null));
        long expiry = Long.parseLong(joined.get(1).username().split(":")[0]);
        long inAnHour = System.currentTimeMillis() / 1000 + 3600;
        assertThat(expiry).isBetween(inAnHour - 60, inAnHour + 60);
    }

    @Test
    void badSettingsStopTheNodeWithTheirReason() {
        assertThatThrownBy(() -> fromCommandLine("--ice-servers", "[{\"urls\":"))
                .hasMessageContaining("--ice-servers: not a JSON array");
        assertThatThrownBy(() -> fromCommandLine("--ice-servers", "[{\"url\":\"stun:x\"}]"))
                .hasMessageContaining("unknown field url");
        assertThatThrownBy(() -> fromCommandLine("--ice-servers", "turn:198.18.1.2:3478"))
                .hasMessageContaining("needs a username and credential, or turn-secret");
        assertThatThrownBy(() -> fromCommandLine("--ice-servers", "stun:198.18.1.2", "--turn-secret", "s"))
                .hasMessageContaining("no turn: or turns: server without a username");
        assertThatThrownBy(() -> IceServersSetting.read(withDefaults(ConfigFactory.parseString(
                "sfu.ice-servers = [\"stun:x\"]"))))
                .hasMessageContaining("each server is an object");
    }
}
