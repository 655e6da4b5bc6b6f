package org.adam.sfu.webrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Random;

import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunMessageType;
import org.adam.sfu.webrtc.stun.StunMessageWriter;
import org.junit.jupiter.api.Test;

class IceLiteResponderTest {

    private final IceLiteResponder responder = new IceLiteResponder();
    private final IceCredentials local = IceCredentials.random(new SecureRandom());
    private final IceSession session = new IceSession(local, 30_000);
    private final InetSocketAddress browser = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);

    private byte[] check(String username, String password, boolean useCandidate) {
        byte[] transaction = new byte[12];
        new Random(1).nextBytes(transaction);
        StunMessageWriter writer = new StunMessageWriter(StunMessageType.BINDING_REQUEST, transaction)
                .username(username).priority(2130706431L).iceControlling(42L);
        if (useCandidate) {
            writer.useCandidate();
        }
        return writer.encode(password.getBytes(StandardCharsets.UTF_8), true);
    }

    private IceLiteResponder.Result handle(byte[] datagram) {
        return responder.handle(datagram, 0, datagram.length, browser,
                ufrag -> ufrag.equals(local.ufrag()) ? session : null);
    }

    @Test
    void answersAValidCheckWithTheSendersAddressSigned() throws Exception {
        IceLiteResponder.Result result = handle(check(local.ufrag() + ":remote", local.pwd(), true));
        assertThat(result.accepted()).isTrue();
        assertThat(result.useCandidate()).isTrue();
        StunMessage response = StunMessage.parse(result.response(), 0, result.response().length);
        assertThat(response.type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
        assertThat(response.xorMappedAddress()).isEqualTo(browser);
        assertThat(response.verifyIntegrity(local.pwd().getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(response.verifyFingerprint()).isTrue();
    }

    @Test
    void wrongPasswordGetsUnauthorized() throws Exception {
        IceLiteResponder.Result result = handle(check(local.ufrag() + ":remote", "not-the-password-at-all!", false));
        assertThat(result.outcome()).isEqualTo(IceLiteResponder.Outcome.BAD_INTEGRITY);
        StunMessage response = StunMessage.parse(result.response(), 0, result.response().length);
        assertThat(response.errorCode()).isEqualTo(401);
    }

    @Test
    void unknownUfragIsDroppedSilently() {
        IceLiteResponder.Result result = handle(check("nobody:remote", local.pwd(), false));
        assertThat(result.outcome()).isEqualTo(IceLiteResponder.Outcome.UNKNOWN_UFRAG);
        assertThat(result.response()).isNull();
    }

    @Test
    void checksFromAnotherRemoteThanNegotiatedAreIgnored() {
        session.setRemoteCredentials("theirs", "pwd");
        assertThat(handle(check(local.ufrag() + ":someone-else", local.pwd(), false)).outcome())
                .isEqualTo(IceLiteResponder.Outcome.UNKNOWN_UFRAG);
        assertThat(handle(check(local.ufrag() + ":theirs", local.pwd(), false)).accepted()).isTrue();
    }

    @Test
    void firstValidCheckSelectsAndNominationMovesTheSelection() {
        InetSocketAddress other = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50001);
        session.onValidCheck(browser, false, 0);
        assertThat(session.selectedAddress()).isEqualTo(browser);
        session.onValidCheck(other, true, 10);
        assertThat(session.selectedAddress()).isEqualTo(other);
        session.onValidCheck(browser, false, 20);
        assertThat(session.selectedAddress()).isEqualTo(other);
    }

    @Test
    void consentExpiresWithoutChecks() {
        assertThat(session.consentExpired(20_000, 0)).isFalse();
        assertThat(session.consentExpired(30_001, 0)).isTrue();
        session.onValidCheck(browser, true, 25_000);
        assertThat(session.consentExpired(50_000, 0)).isFalse();
        assertThat(session.consentExpired(55_001, 0)).isTrue();
    }
}
