package org.adam.sfu.bench.load.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker.Role;
import org.junit.jupiter.api.Test;

/** The ICE and DTLS roles of a client connection follow from the SFU's session description. */
class ClientTransportRolesTest {

    @Test
    void towardsOurIceLiteNodeTheClientControlsAndConnects() {
        // The node's publish answer (passive) and its subscribe offers (actpass), both ICE-lite.
        assertThat(ClientTransport.Roles.of(false, true, "passive")).isEqualTo(ClientTransport.Roles.TOWARDS_ICE_LITE);
        assertThat(ClientTransport.Roles.of(true, true, "actpass")).isEqualTo(ClientTransport.Roles.TOWARDS_ICE_LITE);
    }

    @Test
    void aFullIceOffererControlsAndAnActiveAnswererConnects() {
        // Janus: its subscriber offers are full ICE and actpass; its publish answers are a=setup:active.
        assertThat(ClientTransport.Roles.of(true, false, "actpass"))
                .isEqualTo(new ClientTransport.Roles(Role.CONTROLLED, DtlsRole.CLIENT));
        assertThat(ClientTransport.Roles.of(false, false, "active"))
                .isEqualTo(new ClientTransport.Roles(Role.CONTROLLING, DtlsRole.SERVER));
    }
}
