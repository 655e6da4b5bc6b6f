package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.adam.sfu.room.policy.SfuConfig;
import org.adam.sfu.room.policy.TopologyDecision;
import org.junit.jupiter.api.Test;

class CallTopologyTest {

    private static final TopologyDecision SFU = new TopologyDecision("sfu", "reachable");
    private static final TopologyDecision MESH = new TopologyDecision("mesh", "sfu-unreachable");

    /** What the policy says now; the test changes it. */
    private TopologyDecision policy = SFU;
    private final CallTopology topology = new CallTopology(() -> policy);

    @Test
    void isDecidedWhenACallStartsAndHeldWhileItGoesOn() {
        assertThat(topology.current()).isNull();
        assertThat(topology.onJoin(true)).contains(SFU);
        policy = MESH;
        assertThat(topology.onJoin(false)).as("a second participant joins the call").isEmpty();
        assertThat(topology.current()).isEqualTo(SFU);
        assertThat(topology.onJoin(true)).as("the room emptied: a new call").contains(MESH);
    }

    @Test
    void reconsideringReportsOnlyAnotherWayOfCarryingTheCall() {
        assertThat(topology.reconsider(false)).as("no call yet").isEmpty();
        topology.onJoin(true);
        policy = new TopologyDecision("sfu", "another reason");
        assertThat(topology.reconsider(false)).isEmpty();
        assertThat(topology.current()).as("the same topology keeps its first reason").isEqualTo(SFU);
        policy = MESH;
        assertThat(topology.reconsider(true)).as("nobody is in the call").isEmpty();
        assertThat(topology.reconsider(false)).contains(MESH);
        assertThat(topology.current()).isEqualTo(MESH);
    }

    @Test
    void warnsOnlyOfAMeshCallLargerThanThePolicyRunsMeshFor() {
        SfuConfig config = new SfuConfig("mesh", null, List.of(), 0, "mesh", 4, List.of(), 0, 0, List.of());
        policy = MESH;
        topology.onJoin(true);
        assertThat(topology.meshWarning(config, 4)).isEmpty();
        Room.Warning warning = topology.meshWarning(config, 5).orElseThrow();
        assertThat(warning.code()).isEqualTo("mesh-too-large");
        assertThat(warning.message()).isEqualTo("no SFU is reachable and this call has 5 participants, more than "
                + "mesh is meant for (4); trying mesh anyway");

        policy = SFU;
        CallTopology sfu = new CallTopology(() -> policy);
        sfu.onJoin(true);
        assertThat(sfu.meshWarning(config, 50)).isEmpty();
    }
}
