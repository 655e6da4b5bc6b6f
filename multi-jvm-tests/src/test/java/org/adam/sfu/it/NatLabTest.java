package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The NAT lab itself (decision 0024): its routers map as their type says, seen from the outside
 * by STUN Binding requests to coturn's two addresses from one local port, and a client's firewall
 * lets through only what it allows.
 */
class NatLabTest {

    private static NatLab lab;
    private static CoturnProcess turn;

    @BeforeAll
    static void start() throws Exception {
        lab = NatLab.create();
        turn = lab.startTurnWithUser("lab", "lab-password");
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private static String[] bothTurnAddresses() {
        return turn.hosts().stream().map(a -> a + ":" + NatLab.TURN_PORT).toArray(String[]::new);
    }

    @Test
    void endpointIndependentRouterShowsEveryDestinationTheSamePortPreservingMapping() throws Exception {
        NatRouter router = lab.router(NatType.ENDPOINT_INDEPENDENT);
        LabHost client = router.client("eim");
        LabHost.StunMappings probe = client.stunProbe(40123, bothTurnAddresses());
        System.out.println("endpoint-independent NAT: local port 40123 seen as " + probe.mapped());
        assertThat(probe.mapped()).containsExactly(router.outsideAddress() + ":40123", router.outsideAddress() + ":40123");
    }

    @Test
    void symmetricRouterGivesEachDestinationItsOwnMapping() throws Exception {
        NatRouter router = lab.router(NatType.SYMMETRIC);
        LabHost client = router.client("sym");
        LabHost.StunMappings probe = client.stunProbe(40124, bothTurnAddresses());
        System.out.println("symmetric NAT: local port 40124 seen as " + probe.mapped());
        assertThat(probe.mapped()).hasSize(2).doesNotContainNull();
        assertThat(probe.mapped()).allSatisfy(m -> assertThat(m).startsWith(router.outsideAddress() + ":"));
        assertThat(probe.mapped().get(0)).as("one mapping per destination").isNotEqualTo(probe.mapped().get(1));
    }

    @Test
    void firewallLetsUdpThroughOnlyToTheTurnServer() throws Exception {
        LabHost client = lab.router(NatType.ENDPOINT_INDEPENDENT).client("fw");
        client.allowUdpOnlyTo(turn.hosts().get(0), NatLab.TURN_PORT);
        LabHost.StunMappings allowed = client.stunProbe(40125, bothTurnAddresses());
        assertThat(allowed.mapped().get(0)).as("the TURN server's address and port").isNotNull();
        assertThat(allowed.mapped().get(1)).as("anything else").isNull();
        assertThat(client.udpDroppedOut()).isPositive();

        String tcpToTurn = "exec 3<>/dev/tcp/" + turn.hosts().get(0) + "/" + NatLab.TURN_PORT;
        LabShell.runIn(client.namespace(), "bash", "-c", tcpToTurn);
        client.blockTcpTo(turn.hosts().get(0), NatLab.TURN_PORT);
        assertThatThrownBy(() -> LabShell.runIn(client.namespace(), "bash", "-c", tcpToTurn))
                .as("TCP to the TURN server refused").isInstanceOf(java.io.IOException.class);
        assertThat(client.stunProbe(40128, bothTurnAddresses()).mapped().get(0)).as("UDP rule kept").isNotNull();

        client.blockUdp();
        assertThat(client.stunProbe(40126, bothTurnAddresses()).mapped()).containsExactly(null, null);
        client.clearFilter();
        assertThat(client.stunProbe(40127, bothTurnAddresses()).mapped()).doesNotContainNull();
    }
}
