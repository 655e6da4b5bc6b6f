package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client transport's own checks to the candidates its client names (a node behind NAT): when
 * they start after the client's description, and how many. Time is the worker's manual clock;
 * delayed checks are run by hand.
 */
class TransportIceAgentTest {

    private static final IceCredentials CLIENT = new IceCredentials("cl1e", "client-password-client-pwd");

    private record Scheduled(Runnable task, long delayMillis) {
    }

    private final ManualMediaClock clock = new ManualMediaClock(1_000_000);
    private final List<Scheduled> scheduled = new ArrayList<>();
    private MediaWorkers workers;
    private MediaServer server;
    private WebRtcTransport owner;
    private TransportIceAgent agent;

    @BeforeEach
    void start() throws Exception {
        workers = MediaWorkers.start(MediaServerConfig.loopback(0).withClientChecks(true), 1, clock);
        server = workers.all().get(0);
        owner = server.createTransport("owner", new TransportListener() {
            @Override
            public void onConnected() {
            }

            @Override
            public void onClosed(String reason) {
            }
        });
        IceSession ice = new IceSession(new IceCredentials("loc1", "local-password-local-password"), 30_000);
        agent = new TransportIceAgent(owner, "t", false, server.channel(), ice, server,
                (task, delayMillis) -> scheduled.add(new Scheduled(task, delayMillis)));
    }

    @AfterEach
    void stop() {
        workers.close();
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return server.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
    }

    private static InetSocketAddress candidate(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    private boolean checked(InetSocketAddress address) throws Exception {
        return onLoop(() -> server.registry().checking(address).contains(owner));
    }

    @Test
    void aCandidateNamedSoonAfterTheDescriptionIsCheckedWhenTheDelayIsOver() throws Exception {
        InetSocketAddress named = candidate(41000);
        onLoop(() -> {
            agent.peerDescribed(CLIENT, clock.millis());
            clock.advanceMillis(100);
            agent.addClientCandidate(named);
            return null;
        });
        assertThat(checked(named)).isFalse();
        assertThat(scheduled).singleElement().extracting(Scheduled::delayMillis)
                .isEqualTo(TransportIceAgent.CLIENT_CHECK_DELAY_MILLIS - 100);
        onLoop(() -> {
            scheduled.get(0).task().run();
            return null;
        });
        assertThat(checked(named)).isTrue();
    }

    @Test
    void aCandidateNamedOnceTheDelayIsOverIsCheckedAtOnce() throws Exception {
        InetSocketAddress named = candidate(41001);
        onLoop(() -> {
            agent.peerDescribed(CLIENT, clock.millis());
            clock.advanceMillis(TransportIceAgent.CLIENT_CHECK_DELAY_MILLIS);
            agent.addClientCandidate(named);
            return null;
        });
        assertThat(scheduled).isEmpty();
        assertThat(checked(named)).isTrue();
    }

    @Test
    void nothingIsCheckedBeforeThePeerIsDescribed() throws Exception {
        InetSocketAddress named = candidate(41002);
        onLoop(() -> {
            agent.addClientCandidate(named);
            return null;
        });
        assertThat(checked(named)).isFalse();
    }

    @Test
    void atMostABoundedNumberOfCandidatesAreChecked() throws Exception {
        onLoop(() -> {
            agent.peerDescribed(CLIENT, clock.millis() - TransportIceAgent.CLIENT_CHECK_DELAY_MILLIS);
            for (int i = 0; i < TransportIceAgent.MAX_CHECKED_CANDIDATES + 3; i++) {
                agent.addClientCandidate(candidate(42000 + i));
            }
            return null;
        });
        int checkedCount = 0;
        for (int i = 0; i < TransportIceAgent.MAX_CHECKED_CANDIDATES + 3; i++) {
            checkedCount += checked(candidate(42000 + i)) ? 1 : 0;
        }
        assertThat(checkedCount).isEqualTo(TransportIceAgent.MAX_CHECKED_CANDIDATES);
    }

    @Test
    void aNewIceGenerationAndTheCloseDropTheChecks() throws Exception {
        InetSocketAddress first = candidate(43000);
        InetSocketAddress late = candidate(43001);
        onLoop(() -> {
            agent.peerDescribed(CLIENT, clock.millis() - TransportIceAgent.CLIENT_CHECK_DELAY_MILLIS);
            agent.addClientCandidate(first);
            agent.dropClientChecks();
            return null;
        });
        assertThat(checked(first)).isFalse();
        onLoop(() -> {
            agent.peerDescribed(CLIENT, clock.millis());
            agent.addClientCandidate(late);
            agent.close();
            scheduled.get(0).task().run();
            return null;
        });
        assertThat(checked(late)).as("a check due after the close is not sent").isFalse();
    }
}
