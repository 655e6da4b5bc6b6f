package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

/** Which peers the relay lets in, for how many transports, and on which channel. */
class RelayPeersTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("198.51.100.20", 40000);
    private static final InetSocketAddress SAME_IP = new InetSocketAddress("198.51.100.20", 40001);

    private final RelayPeers peers = new RelayPeers();

    @Test
    void aPeerIsNewOnceThenCountedPerTransport() {
        assertThat(peers.admit(PEER)).isEqualTo(RelayPeers.Admission.NEW);
        assertThat(peers.admit(PEER)).isEqualTo(RelayPeers.Admission.KNOWN);
        assertThat(peers.release(PEER, -1)).as("one transport still asks").isFalse();
        assertThat(peers.get(PEER)).isNotNull();
        assertThat(peers.release(PEER, -1)).as("the last one went").isTrue();
        assertThat(peers.get(PEER)).isNull();
        assertThat(peers.release(PEER, -1)).as("not let in any more").isFalse();
    }

    @Test
    void aPeerIsKnownByItsChannelOnceBoundAndForgottenWithIt() {
        peers.admit(PEER);
        peers.bound(PEER, 0x4001);
        assertThat(peers.byChannel(0x4001).address).isEqualTo(PEER);
        assertThat(peers.byChannel(0x4001).key).isEqualTo(NodeRelay.pathKey(PEER));
        peers.release(PEER, 0x4001);
        assertThat(peers.byChannel(0x4001)).isNull();
    }

    @Test
    void aChannelBoundForAPeerNoLongerLetInIsIgnored() {
        peers.bound(PEER, 0x4002);
        assertThat(peers.byChannel(0x4002)).isNull();
    }

    @Test
    void channelsGoWithTheAllocationButPeersStay() {
        peers.admit(PEER);
        peers.bound(PEER, 0x4003);
        peers.forgetChannels();
        assertThat(peers.byChannel(0x4003)).isNull();
        assertThat(peers.addresses()).containsExactly(PEER);
    }

    @Test
    void anIpStaysPermittedWhileAnotherPortOfItIsLetIn() {
        peers.admit(PEER);
        peers.admit(SAME_IP);
        peers.release(PEER, -1);
        assertThat(peers.stillPermitted(PEER.getAddress())).isTrue();
        peers.release(SAME_IP, -1);
        assertThat(peers.stillPermitted(PEER.getAddress())).isFalse();
    }

    @Test
    void beyondTheBoundNoPeerIsLetIn() {
        for (int i = 0; i < RelayPeers.MAX_PEERS; i++) {
            assertThat(peers.admit(new InetSocketAddress("203.0.113.1", 1024 + i))).isEqualTo(RelayPeers.Admission.NEW);
        }
        assertThat(peers.admit(PEER)).isEqualTo(RelayPeers.Admission.FULL);
        assertThat(peers.admit(new InetSocketAddress("203.0.113.1", 1024))).isEqualTo(RelayPeers.Admission.KNOWN);
    }
}
