package org.adam.sfu.webrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.adam.sfu.webrtc.stun.ChannelNumbers;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunMessageType;
import org.junit.jupiter.api.Test;

/** The TURN client against {@link SimulatedTurnServer}, in simulated time (milliseconds). */
class TurnClientTest {

    private static final InetSocketAddress PEER = SimulatedTurnServer.address("192.0.2.20", 5000);
    private static final InetSocketAddress PEER6 = SimulatedTurnServer.address("2001:db8::20", 5000);

    private final SimulatedTurnServer server = new SimulatedTurnServer("alice", "secret");
    private final TurnClient client = new TurnClient(new TurnCredentials("alice", "secret"), TurnTransport.UDP,
            new Random(8656));
    private final List<TurnEvent> events = new ArrayList<>();
    private long now;

    @Test
    void allocatesAfterTheUnauthenticatedChallenge() throws Exception {
        client.allocate(now);
        exchange();
        assertThat(server.log).containsExactly("allocate-unauthenticated", "allocate");
        assertThat(client.state()).isEqualTo(TurnClient.State.ALLOCATED);
        assertThat(events).containsExactly(new TurnEvent.Allocated(SimulatedTurnServer.RELAYED,
                SimulatedTurnServer.MAPPED, 600));
        assertThat(client.relayedAddress()).isEqualTo(SimulatedTurnServer.RELAYED);
    }

    @Test
    void wrongPasswordFailsTheAllocationAfterOneAuthenticatedTry() throws Exception {
        TurnClient wrong = new TurnClient(new TurnCredentials("alice", "guess"), TurnTransport.UDP, new Random(1));
        wrong.allocate(0);
        for (byte[] out; (out = wrong.pollTransmit()) != null; ) {
            byte[] answer = server.answer(out);
            wrong.handleInput(answer, 0, answer.length, 0);
        }
        assertThat(server.log).containsExactly("allocate-unauthenticated", "allocate-bad-integrity");
        assertThat(wrong.state()).isEqualTo(TurnClient.State.FAILED);
        assertThat(wrong.pollEvent()).isEqualTo(new TurnEvent.RequestFailed(TurnRequest.ALLOCATE, null, 401,
                "credentials refused"));
    }

    @Test
    void refreshesBeforeExpiryAndTakesAStaleNoncesReplacement() throws Exception {
        allocated();
        assertThat(client.pollTimeout()).isEqualTo(540_000); // 600 s lifetime, a minute early
        server.nonce = "nonce-2";
        advanceTo(540_000);
        assertThat(server.log).containsExactly("refresh-stale", "refresh");
        assertThat(events).containsExactly(new TurnEvent.Refreshed(600));
        assertThat(client.pollTimeout()).isEqualTo(540_000 + 540_000);
    }

    @Test
    void keepsPermissionsAndChannelsAliveUnderFiveMinutes() throws Exception {
        allocated();
        client.createPermission(PEER6.getAddress(), now);
        int channel = client.bindChannel(PEER, now);
        assertThat(channel).isEqualTo(ChannelNumbers.FIRST);
        assertThat(client.channelOf(PEER)).isEqualTo(-1); // not before the server confirms
        exchange();
        assertThat(events).containsExactly(new TurnEvent.PermissionCreated(PEER6.getAddress()),
                new TurnEvent.ChannelBound(PEER, channel));
        assertThat(client.channelOf(PEER)).isEqualTo(channel);
        assertThat(client.peerOfChannel(channel)).isEqualTo(PEER);
        assertThat(client.bindChannel(PEER, now)).isEqualTo(channel);
        assertThat(server.channels).containsExactly(channel);

        server.log.clear();
        events.clear();
        advanceTo(299_000); // permissions expire at 300 s
        assertThat(server.log).containsExactlyInAnyOrder("permission", "channel-bind");
        assertThat(server.channels).containsExactly(channel, channel);
        assertThat(events).isEmpty(); // refreshes are silent
        advanceTo(598_000);
        assertThat(server.log).filteredOn("permission"::equals).hasSize(2);
        assertThat(server.log).filteredOn("channel-bind"::equals).hasSize(2);
        assertThat(server.log).contains("refresh");
    }

    @Test
    void retransmitsOverUdpAndReportsAServerThatNeverAnswers() {
        client.allocate(0);
        byte[] first = client.pollTransmit();
        int sends = 1;
        while (client.state() == TurnClient.State.ALLOCATING) {
            long at = client.pollTimeout();
            client.handleTimeout(at);
            for (byte[] out; (out = client.pollTransmit()) != null; ) {
                assertThat(out).isEqualTo(first);
                sends++;
            }
        }
        assertThat(sends).isEqualTo(7);
        assertThat(client.state()).isEqualTo(TurnClient.State.FAILED);
        assertThat(client.pollEvent()).isEqualTo(new TurnEvent.RequestFailed(TurnRequest.ALLOCATE, null, 0,
                "no answer from the TURN server"));
    }

    @Test
    void overTcpSendsOnceAndGivesUpAfterTi() {
        TurnClient tcp = new TurnClient(new TurnCredentials("alice", "secret"), TurnTransport.TCP, new Random(3));
        tcp.allocate(0);
        assertThat(tcp.pollTransmit()).isNotNull();
        assertThat(tcp.pollTimeout()).isEqualTo(39_500);
        tcp.handleTimeout(39_500);
        assertThat(tcp.pollTransmit()).isNull();
        assertThat(tcp.state()).isEqualTo(TurnClient.State.FAILED);
    }

    @Test
    void deallocatingBeforeTheAnswerIgnoresTheLateAllocation() throws Exception {
        client.allocate(now);
        byte[] challenge = server.answer(client.pollTransmit());
        client.handleInput(challenge, 0, challenge.length, now);
        byte[] answer = server.answer(client.pollTransmit());
        client.deallocate(now);
        assertThat(client.handleInput(answer, 0, answer.length, now)).isFalse();
        assertThat(client.state()).isEqualTo(TurnClient.State.CLOSED);
        assertThat(client.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void ignoresAnswersThatFailTheIntegrityCheck() throws Exception {
        client.allocate(now);
        byte[] challenge = server.answer(client.pollTransmit());
        client.handleInput(challenge, 0, challenge.length, now);
        byte[] request = client.pollTransmit();
        byte[] answer = server.answer(request);
        byte[] forged = answer.clone();
        forged[forged.length - 20] ^= 1; // inside MESSAGE-INTEGRITY's MAC
        assertThat(client.handleInput(forged, 0, forged.length, now)).isFalse();
        assertThat(client.state()).isEqualTo(TurnClient.State.ALLOCATING);
        assertThat(client.handleInput(answer, 0, answer.length, now)).isTrue();
        assertThat(client.state()).isEqualTo(TurnClient.State.ALLOCATED);
    }

    @Test
    void deliversDataIndicationsAndChannelDataFromBoundPeers() throws Exception {
        allocated();
        int channel = client.bindChannel(PEER, now);
        exchange();
        events.clear();
        byte[] indication = SimulatedTurnServer.dataIndication(PEER6, new byte[] {7, 8, 9});
        assertThat(client.handleInput(indication, 0, indication.length, now)).isTrue();
        byte[] frame = new byte[8];
        int length = ChannelData.write(frame, 0, channel, new byte[] {1, 2, 3}, 0, 3, TurnTransport.UDP);
        assertThat(client.handleInput(frame, 0, length, now)).isTrue();
        byte[] unbound = frame.clone();
        unbound[1] = 0x05;
        assertThat(client.handleInput(unbound, 0, length, now)).isFalse();
        TurnEvent first = client.pollEvent();
        TurnEvent second = client.pollEvent();
        assertThat(first).isInstanceOf(TurnEvent.DataReceived.class);
        assertThat(((TurnEvent.DataReceived) first).peer()).isEqualTo(PEER6);
        assertThat(((TurnEvent.DataReceived) first).data()).containsExactly(7, 8, 9);
        assertThat(((TurnEvent.DataReceived) second).peer()).isEqualTo(PEER);
        assertThat(((TurnEvent.DataReceived) second).data()).containsExactly(1, 2, 3);
    }

    @Test
    void sendIndicationCarriesPeerAndData() throws Exception {
        allocated();
        byte[] indication = client.sendIndication(PEER6, new byte[] {0, 4, 2, 0}, 1, 2);
        StunMessage message = StunMessage.parse(indication, 0, indication.length);
        assertThat(message.type()).isEqualTo(StunMessageType.encode(StunMessageType.METHOD_SEND,
                StunMessageType.CLASS_INDICATION));
        assertThat(message.xorPeerAddress()).isEqualTo(PEER6);
        assertThat(message.data()).containsExactly(4, 2);
    }

    @Test
    void deallocatesWithLifetimeZeroAndStopsRefreshing() throws Exception {
        allocated();
        client.createPermission(PEER.getAddress(), now);
        exchange();
        client.deallocate(now);
        exchange();
        assertThat(server.log).endsWith("refresh");
        assertThat(client.state()).isEqualTo(TurnClient.State.CLOSED);
        assertThat(events).endsWith(new TurnEvent.Deallocated());
        assertThat(client.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    private void allocated() throws Exception {
        client.allocate(now);
        exchange();
        assertThat(client.state()).isEqualTo(TurnClient.State.ALLOCATED);
        server.log.clear();
        events.clear();
    }

    /** Delivers everything the client has to send, and the answers, until both are quiet. */
    private void exchange() throws Exception {
        for (byte[] out; (out = client.pollTransmit()) != null; ) {
            byte[] answer = server.answer(out);
            if (answer != null) {
                client.handleInput(answer, 0, answer.length, now);
            }
        }
        for (TurnEvent event; (event = client.pollEvent()) != null; ) {
            events.add(event);
        }
    }

    /** Runs the client's timers up to {@code target}, answering everything on the way. */
    private void advanceTo(long target) throws Exception {
        while (client.pollTimeout() <= target) {
            now = Math.max(now, client.pollTimeout());
            client.handleTimeout(now);
            exchange();
        }
        now = target;
    }
}
