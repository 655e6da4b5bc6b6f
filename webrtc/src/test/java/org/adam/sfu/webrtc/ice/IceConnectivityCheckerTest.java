package org.adam.sfu.webrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;

import org.adam.sfu.webrtc.stun.StunMessage;
import org.junit.jupiter.api.Test;

/** A checker (controlling, or controlled towards a full-ICE offerer) against a responder, in simulated time. */
class IceConnectivityCheckerTest {

    private final SecureRandom random = new SecureRandom();
    private final IceCredentials offerer = IceCredentials.random(random);
    private final IceCredentials answerer = IceCredentials.random(random);
    private final InetSocketAddress answererAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40001);
    private final InetSocketAddress offererAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40002);
    private final IceSession liteSide = new IceSession(answerer, 30_000);
    private final IceLiteResponder responder = new IceLiteResponder();

    @Test
    void nominatesThePairThenSendsOnlyConsentChecks() throws Exception {
        liteSide.setRemoteCredentials(offerer.ufrag(), offerer.pwd());
        IceConnectivityChecker checker = new IceConnectivityChecker(offerer, answerer, answererAddress, random);
        byte[] check = checker.poll(0);
        assertThat(checker.poll(50)).as("not due yet").isNull();
        IceLiteResponder.Result result = responder.handle(check, 0, check.length, offererAddress,
                ufrag -> ufrag.equals(answerer.ufrag()) ? liteSide : null);
        assertThat(result.accepted()).isTrue();
        assertThat(result.useCandidate()).isTrue();

        StunMessage response = StunMessage.parse(result.response(), 0, result.response().length);
        assertThat(checker.onResponse(response, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)))
                .as("a response from elsewhere does not count").isFalse();
        assertThat(checker.onResponse(response, answererAddress)).isTrue();
        assertThat(checker.isConnected()).isTrue();
        assertThat(checker.onResponse(response, answererAddress)).as("answered once").isFalse();

        assertThat(checker.poll(100)).isNotNull(); // the first consent check
        assertThat(checker.poll(4000)).isNull();
        assertThat(checker.poll(5200)).isNotNull();
    }

    @Test
    void retransmitsUntilAnswered() {
        IceConnectivityChecker checker = new IceConnectivityChecker(offerer, answerer, answererAddress, random);
        int sent = 0;
        for (long now = 0; now < 1000; now += 10) {
            if (checker.poll(now) != null) {
                sent++;
            }
        }
        assertThat(sent).isBetween(9, 11);
        assertThat(checker.isConnected()).isFalse();
    }

    @Test
    void controlledAgentChecksWithIceControlledAndNeverNominates() throws Exception {
        liteSide.setRemoteCredentials(offerer.ufrag(), offerer.pwd());
        IceConnectivityChecker checker = new IceConnectivityChecker(offerer, answerer, answererAddress, random,
                IceConnectivityChecker.Role.CONTROLLED);
        byte[] check = checker.poll(0);
        StunMessage request = StunMessage.parse(check, 0, check.length);
        assertThat(request.iceControlled()).isTrue();
        assertThat(request.iceControlling()).isFalse();
        assertThat(request.useCandidate()).isFalse();

        IceLiteResponder.Result result = responder.handle(check, 0, check.length, offererAddress,
                ufrag -> ufrag.equals(answerer.ufrag()) ? liteSide : null);
        assertThat(result.accepted()).isTrue();
        assertThat(result.useCandidate()).isFalse();
        StunMessage response = StunMessage.parse(result.response(), 0, result.response().length);
        assertThat(checker.onResponse(response, answererAddress)).isTrue();
        assertThat(checker.isConnected()).isTrue();
    }
}
