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
        assertThat(ClientRoles.of(false, true, "passive")).isEqualTo(ClientRoles.TOWARDS_ICE_LITE);
        assertThat(ClientRoles.of(true, true, "actpass")).isEqualTo(ClientRoles.TOWARDS_ICE_LITE);
    }

    @Test
    void aFullIceOffererControlsAndAnActiveAnswererConnects() {
        // Janus: its subscriber offers are full ICE and actpass; its publish answers are a=setup:active.
        assertThat(ClientRoles.of(true, false, "actpass"))
                .isEqualTo(new ClientRoles(Role.CONTROLLED, DtlsRole.CLIENT));
        assertThat(ClientRoles.of(false, false, "active"))
                .isEqualTo(new ClientRoles(Role.CONTROLLING, DtlsRole.SERVER));
    }
}
