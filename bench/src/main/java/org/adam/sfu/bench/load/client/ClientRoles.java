package org.adam.sfu.bench.load.client;

import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker;

/**
 * The roles of the client's end of a connection with the SFU, decided from the session
 * descriptions: towards our ICE-lite node the client is the controlling agent and the DTLS
 * client; towards a full-ICE SFU that offers, the controlled agent; towards one that answers
 * a=setup:active, the DTLS server. Immutable.
 *
 * @param ice  controlling unless the remote is a full-ICE agent that made the offer (RFC 8445 6.1.1)
 * @param dtls from a=setup (RFC 5763 5): the client unless the remote answered active
 */
public record ClientRoles(IceConnectivityChecker.Role ice, DtlsRole dtls) {

    /** What a browser is towards our node: controlling ICE agent, DTLS client. */
    public static final ClientRoles TOWARDS_ICE_LITE =
            new ClientRoles(IceConnectivityChecker.Role.CONTROLLING, DtlsRole.CLIENT);

    /**
     * @param remoteOffered  the remote description is an offer (we answer it)
     * @param remoteIceLite  it has a=ice-lite
     * @param remoteSetup    its a=setup value (actpass, active, passive), or null
     */
    public static ClientRoles of(boolean remoteOffered, boolean remoteIceLite, String remoteSetup) {
        IceConnectivityChecker.Role ice = remoteOffered && !remoteIceLite
                ? IceConnectivityChecker.Role.CONTROLLED : IceConnectivityChecker.Role.CONTROLLING;
        // Offers we answer get a=setup:active (ClientSdp); an answer of active makes us the server.
        DtlsRole dtls = !remoteOffered && "active".equals(remoteSetup) ? DtlsRole.SERVER : DtlsRole.CLIENT;
        return new ClientRoles(ice, dtls);
    }
}
