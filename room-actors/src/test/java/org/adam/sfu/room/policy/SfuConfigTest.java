package org.adam.sfu.room.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.adam.sfu.room.neighbourhood.SfuAnnounce;
import org.junit.jupiter.api.Test;

class SfuConfigTest {

    private static final String PEER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
    private static final String OTHER = "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf";

    @Test
    void readsAFullBlockAndWritesItBack() throws Exception {
        String json = """
                {"mode":"cascaded","sfuPeers":["%s","%s"],"maxParticipantsPerNode":8,"fallback":"mesh",
                 "maxMeshParticipants":4,"iceServers":[{"urls":["stun:stun.example.org:3478"]},
                 {"urls":"turn:turn.example.org","username":"u","credential":"c"}],"maxParticipants":50,
                 "maxBitrateKbps":2500}""".formatted(PEER, OTHER);
        SfuConfig config = SfuConfig.parse(json);
        assertThat(config.mode()).isEqualTo("cascaded");
        assertThat(config.sfuPeers()).containsExactly(PEER, OTHER);
        assertThat(config.iceServers()).hasSize(2);
        assertThat(config.iceServers().get(1).urls()).containsExactly("turn:turn.example.org");
        assertThat(SfuConfig.parse(config.toJson().toString())).isEqualTo(config);
    }

    @Test
    void videoCodecsAreAnOrderedListOfCodecsTheNodeForwards() throws Exception {
        SfuConfig config = SfuConfig.parse("{\"mode\":\"gateway\",\"videoCodecs\":[\"h264\",\"VP8\"]}");
        assertThat(config.videoCodecs()).containsExactly("H264", "VP8");
        assertThat(SfuConfig.parse(config.toJson().toString())).isEqualTo(config);
        assertThat(SfuConfig.parse("{}").videoCodecs()).isEmpty();
        for (String bad : List.of("[]", "[\"VP8\",\"vp8\"]", "[\"theora\"]", "\"VP8\"", "[1]")) {
            assertThatThrownBy(() -> SfuConfig.parse("{\"videoCodecs\":" + bad + "}"))
                    .as(bad).isInstanceOf(InvalidConfigException.class).hasMessageContaining("videoCodecs");
        }
    }

    @Test
    void absentFieldsTakeTheSocialDnaDefaults() throws Exception {
        SfuConfig config = SfuConfig.parse("{}");
        assertThat(config.mode()).isEqualTo("mesh");
        assertThat(config.fallback()).isEqualTo("mesh");
        assertThat(config.maxMeshParticipants()).isEqualTo(4);
        assertThat(SfuConfig.gatewayDefault().mode()).isEqualTo("gateway");
    }

    @Test
    void eachInvalidFieldIsNamed() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("not json", "sfu"),
                Map.entry("[1]", "sfu"),
                Map.entry("{\"mode\":\"star\"}", "mode"),
                Map.entry("{\"mode\":3}", "mode"),
                Map.entry("{\"mode\":\"designated\"}", "designatedPeer"),
                Map.entry("{\"mode\":\"designated\",\"designatedPeer\":\"bob\"}", "designatedPeer"),
                Map.entry("{\"mode\":\"cascaded\"}", "sfuPeers"),
                Map.entry("{\"sfuPeers\":\"" + PEER + "\"}", "sfuPeers"),
                Map.entry("{\"sfuPeers\":[\"nope\"]}", "sfuPeers"),
                Map.entry("{\"maxParticipantsPerNode\":0}", "maxParticipantsPerNode"),
                Map.entry("{\"fallback\":\"none\"}", "fallback"),
                Map.entry("{\"maxMeshParticipants\":1}", "maxMeshParticipants"),
                Map.entry("{\"maxMeshParticipants\":\"four\"}", "maxMeshParticipants"),
                Map.entry("{\"iceServers\":{}}", "iceServers"),
                Map.entry("{\"iceServers\":[{\"urls\":[\"http://x\"]}]}", "iceServers"),
                Map.entry("{\"iceServers\":[{}]}", "iceServers"),
                Map.entry("{\"maxParticipants\":0}", "maxParticipants"),
                Map.entry("{\"maxBitrateKbps\":2.5}", "maxBitrateKbps"),
                Map.entry("{\"colour\":\"blue\"}", "colour"));
        cases.forEach((json, field) -> assertThatThrownBy(() -> SfuConfig.parse(json))
                .as(json).isInstanceOfSatisfying(InvalidConfigException.class,
                        e -> assertThat(e.field()).isEqualTo(field)));
    }

    private static SfuAnnounce announce(String did, int participants, int capacity, double cpu, long uptime) {
        return new SfuAnnounce(did, "", participants, capacity, did, "ws://x", cpu, 1000, uptime, false);
    }

    @Test
    void electsByPolicyAndCapability() throws Exception {
        assertThat(PeerElection.elect(SfuConfig.parse("{}"), "me", List.of())).isEmpty();
        assertThat(PeerElection.elect(SfuConfig.gatewayDefault(), "me", List.of())).contains("me");
        SfuConfig designated = SfuConfig.parse("{\"mode\":\"designated\",\"designatedPeer\":\"" + PEER + "\"}");
        assertThat(PeerElection.elect(designated, "me", List.of())).contains(PEER);

        SfuConfig cascaded = SfuConfig.parse("{\"mode\":\"cascaded\",\"sfuPeers\":[\"" + PEER + "\",\"" + OTHER + "\"]}");
        List<SfuAnnounce> both = List.of(announce(PEER, 5, 8, 0.51, 100), announce(OTHER, 1, 8, 0.12, 50),
                announce("did:key:z6MkNotAPeerOfThisNeighbourhoodXXXXXXXXXXXXX", 0, 8, 0.0, 999));
        assertThat(PeerElection.elect(cascaded, "me", both)).as("least loaded peer").contains(OTHER);
        assertThat(PeerElection.elect(cascaded, "me", List.of(announce(PEER, 5, 8, 0.5, 100),
                announce(OTHER, 8, 8, 0.0, 50)))).as("a full node is passed over").contains(PEER);
        assertThat(PeerElection.elect(cascaded, "me", List.of(announce(PEER, 5, 8, 0.5, 100))))
                .as("re-run without the elected node").contains(PEER);
        assertThat(PeerElection.elect(cascaded, "me", List.of())).isEmpty();
    }
}
