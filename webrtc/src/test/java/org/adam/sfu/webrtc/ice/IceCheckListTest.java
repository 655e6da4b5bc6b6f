package org.adam.sfu.webrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.adam.sfu.webrtc.stun.StunMessage;
import org.junit.jupiter.api.Test;

/** Checks to every candidate of a peer (a pipe between nodes), answered by a responder, in simulated time. */
class IceCheckListTest {

    private final SecureRandom random = new SecureRandom();
    private final IceCredentials ours = IceCredentials.random(random);
    private final IceCredentials theirs = IceCredentials.random(random);
    private final InetSocketAddress host = address("10.0.0.2", 40001);
    private final InetSocketAddress reflexive = address("198.18.0.11", 40001);
    private final InetSocketAddress from = address("198.18.0.12", 50000);
    private final IceSession peer = new IceSession(theirs, 30_000);
    private final IceLiteResponder responder = new IceLiteResponder();

    private record Sent(byte[] check, InetSocketAddress to) {
    }

    @Test
    void checksEveryCandidateAndTheControllingSideNominatesTheFirstThatAnswers() throws Exception {
        IceCheckList checks = new IceCheckList(ours, theirs, List.of(host, reflexive),
                IceConnectivityChecker.Role.CONTROLLING, random);
        List<Sent> sent = poll(checks, 0);
        assertThat(sent).extracting(Sent::to).containsExactly(host, reflexive);

        // Only the reflexive address is reachable (the host one is behind the peer's NAT).
        Sent reachable = sent.get(1);
        assertThat(checks.onResponse(answer(reachable), host)).as("answered from elsewhere").isEqualTo(IceCheckList.Answer.NONE);
        assertThat(checks.onResponse(answer(reachable), reflexive)).isEqualTo(IceCheckList.Answer.NOMINATED);
        assertThat(checks.targets()).as("the nominated pair alone goes on").containsExactly(reflexive);

        List<Sent> consent = poll(checks, 5_200);
        assertThat(consent).hasSize(1);
        assertThat(checks.onResponse(answer(consent.get(0)), reflexive)).as("consent, not a new nomination")
                .isEqualTo(IceCheckList.Answer.VALID);
    }

    @Test
    void theControlledSideChecksWithoutNominatingAndKeepsEveryAnsweredPair() throws Exception {
        IceCheckList checks = new IceCheckList(ours, theirs, List.of(host, reflexive),
                IceConnectivityChecker.Role.CONTROLLED, random);
        List<Sent> sent = poll(checks, 0);
        for (Sent check : sent) {
            StunMessage request = StunMessage.parse(check.check(), 0, check.check().length);
            assertThat(request.useCandidate()).isFalse();
            assertThat(request.iceControlled()).isTrue();
        }
        assertThat(checks.onResponse(answer(sent.get(1)), reflexive)).isEqualTo(IceCheckList.Answer.VALID);
        assertThat(checks.targets()).containsExactly(host, reflexive);
        poll(checks, 100); // both: a retry, and the answered pair's first consent check
        assertThat(poll(checks, 200)).as("the unanswered pair is retried, the answered one waits for consent")
                .extracting(Sent::to).containsExactly(host);
    }

    @Test
    void checksBackWhereThePeersChecksComeFromUntilAPairIsNominated() throws Exception {
        IceCheckList checks = new IceCheckList(ours, theirs, List.of(reflexive),
                IceConnectivityChecker.Role.CONTROLLING, random);
        poll(checks, 0);
        InetSocketAddress remapped = address("198.18.0.11", 61000);
        assertThat(checks.add(remapped)).as("a peer-reflexive address").isTrue();
        assertThat(checks.add(remapped)).as("checked already").isFalse();
        List<Sent> sent = poll(checks, 10);
        assertThat(sent).as("the triggered check goes at once").extracting(Sent::to).containsExactly(remapped);
        assertThat(checks.onResponse(answer(sent.get(0)), remapped)).isEqualTo(IceCheckList.Answer.NOMINATED);
        assertThat(checks.add(address("198.18.0.11", 62000))).as("nominated: no new pairs").isFalse();
    }

    @Test
    void pairsAreBounded() {
        IceCheckList checks = new IceCheckList(ours, theirs, List.of(host), IceConnectivityChecker.Role.CONTROLLED,
                random);
        for (int port = 1; port < 100; port++) {
            checks.add(address("198.18.0.11", port));
        }
        assertThat(checks.targets()).hasSize(IceCheckList.MAX_PAIRS);
    }

    private List<Sent> poll(IceCheckList checks, long now) {
        List<Sent> sent = new ArrayList<>();
        checks.poll(now, (check, to) -> sent.add(new Sent(check, to)));
        return sent;
    }

    private StunMessage answer(Sent check) throws Exception {
        peer.setRemoteCredentials(ours.ufrag(), ours.pwd());
        IceLiteResponder.Result result = responder.handle(check.check(), 0, check.check().length, from,
                ufrag -> ufrag.equals(theirs.ufrag()) ? peer : null);
        assertThat(result.accepted()).isTrue();
        return StunMessage.parse(result.response(), 0, result.response().length);
    }

    private static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
