package org.adam.sfu.webrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunMessageType;
import org.adam.sfu.webrtc.stun.StunMessageWriter;
import org.junit.jupiter.api.Test;

/** The credential switch of an ICE restart (RFC 8445 9) in an ICE-lite session. */
class IceRestartTest {

    private final SecureRandom random = new SecureRandom();
    private final IceLiteResponder responder = new IceLiteResponder();
    private final IceCredentials first = IceCredentials.random(random);
    private final IceSession session = new IceSession(first, 30_000);
    private final InetSocketAddress oldAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
    private final InetSocketAddress newAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50001);

    private IceLiteResponder.Result check(IceCredentials local, String remoteUfrag, InetSocketAddress from,
                                          boolean useCandidate) {
        StunMessageWriter writer = new StunMessageWriter(StunMessageType.BINDING_REQUEST, new byte[12])
                .username(local.ufrag() + ":" + remoteUfrag).priority(2130706431L).iceControlling(42L);
        if (useCandidate) {
            writer.useCandidate();
        }
        byte[] datagram = writer.encode(local.pwd().getBytes(StandardCharsets.UTF_8), true);
        // The registry maps every ufrag the session answers to it; the session decides.
        return responder.handle(datagram, 0, datagram.length, from, ufrag -> session);
    }

    @Test
    void oldCredentialsAreAnsweredUntilThePeerUsesTheNewOnes() throws Exception {
        session.setRemoteCredentials("old-remote", "pwd");
        session.onValidCheck(oldAddress, true, 0, first.ufrag());

        IceCredentials fresh = IceCredentials.random(random);
        assertThat(session.restart(fresh)).isNull();
        assertThat(session.localCredentials()).isEqualTo(fresh);
        assertThat(session.restarting()).isTrue();
        session.setRemoteCredentials("new-remote", "pwd2");

        // Media keeps flowing on the old pair while the new one is checked.
        IceLiteResponder.Result old = check(first, "old-remote", oldAddress, true);
        assertThat(old.accepted()).isTrue();
        assertThat(old.localUfrag()).isEqualTo(first.ufrag());
        StunMessage response = StunMessage.parse(old.response(), 0, old.response().length);
        assertThat(response.verifyIntegrity(first.pwd().getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(session.onValidCheck(oldAddress, true, 10, old.localUfrag())).isNull();

        // The new generation takes only the peer's new ufrag, and is signed with the new password.
        assertThat(check(fresh, "old-remote", newAddress, true).outcome())
                .isEqualTo(IceLiteResponder.Outcome.UNKNOWN_UFRAG);
        IceLiteResponder.Result renewed = check(fresh, "new-remote", newAddress, true);
        assertThat(renewed.accepted()).isTrue();
        response = StunMessage.parse(renewed.response(), 0, renewed.response().length);
        assertThat(response.verifyIntegrity(fresh.pwd().getBytes(StandardCharsets.UTF_8))).isTrue();

        // Its first valid check ends the restart: the old ufrag is retired, and the pair moves.
        assertThat(session.onValidCheck(newAddress, true, 20, renewed.localUfrag())).isEqualTo(first.ufrag());
        assertThat(session.restarting()).isFalse();
        assertThat(session.selectedAddress()).isEqualTo(newAddress);
        assertThat(check(first, "old-remote", oldAddress, true).outcome())
                .isEqualTo(IceLiteResponder.Outcome.UNKNOWN_UFRAG);
    }

    @Test
    void aCheckWithTheOldCredentialsKeepsConsentDuringTheRestart() {
        session.onValidCheck(oldAddress, true, 0, first.ufrag());
        session.restart(IceCredentials.random(random));
        session.onValidCheck(oldAddress, false, 25_000, first.ufrag());
        assertThat(session.consentExpired(40_000, 0)).isFalse();
        assertThat(session.consentExpired(56_000, 0)).isTrue();
    }

    @Test
    void aRestartDuringARestartDropsTheUnusedMiddleCredentials() {
        session.onValidCheck(oldAddress, true, 0, first.ufrag());
        IceCredentials middle = IceCredentials.random(random);
        IceCredentials last = IceCredentials.random(random);
        assertThat(session.restart(middle)).isNull();
        assertThat(session.restart(last)).isEqualTo(middle.ufrag());
        assertThat(check(middle, "any", newAddress, false).outcome()).isEqualTo(IceLiteResponder.Outcome.UNKNOWN_UFRAG);
        assertThat(check(first, "any", oldAddress, false).accepted()).isTrue();
        assertThat(check(last, "any", newAddress, false).accepted()).isTrue();
    }

    @Test
    void aNominatedCheckFromANewAddressMovesThePairWithoutARestart() {
        // A client whose address changed checks the same credentials from the new one (ICE-lite).
        session.onValidCheck(oldAddress, true, 0, first.ufrag());
        session.onValidCheck(newAddress, false, 10, first.ufrag());
        assertThat(session.selectedAddress()).as("not nominated: stays").isEqualTo(oldAddress);
        session.onValidCheck(newAddress, true, 20, first.ufrag());
        assertThat(session.selectedAddress()).isEqualTo(newAddress);
    }

    @Test
    void anIpv6SenderGetsItsIpv6AddressBack() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 61000);
        IceLiteResponder.Result result = check(first, "remote", v6, true);
        assertThat(result.accepted()).isTrue();
        StunMessage response = StunMessage.parse(result.response(), 0, result.response().length);
        assertThat(response.xorMappedAddress()).isEqualTo(v6);
    }
}
