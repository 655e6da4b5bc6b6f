package org.adam.sfu.webrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

/** Reading a peer's candidate address: UDP RTP candidates with address literals only. */
class RemoteCandidatesTest {

    @Test
    void readsUdpHostSrflxAndRelayCandidates() {
        assertThat(RemoteCandidates.udpAddress("candidate:842163049 1 udp 1677729535 198.51.100.4 46127 typ srflx"
                + " raddr 10.0.0.2 rport 46127 generation 0 ufrag abcd network-cost 999"))
                .isEqualTo(new InetSocketAddress("198.51.100.4", 46127));
        assertThat(RemoteCandidates.udpAddress("a=candidate:1 1 UDP 2122260223 2001:db8::7 5000 typ host"))
                .isEqualTo(new InetSocketAddress("2001:db8::7", 5000));
        assertThat(RemoteCandidates.udpAddress("1 1 udp 16777215 203.0.113.9 3500 typ relay raddr 0.0.0.0 rport 0"))
                .isEqualTo(new InetSocketAddress("203.0.113.9", 3500));
    }

    @Test
    void ignoresWhatTheRelayCannotUse() {
        assertThat(RemoteCandidates.udpAddress("candidate:1 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active"))
                .isNull();
        assertThat(RemoteCandidates.udpAddress("candidate:1 2 udp 2122260222 192.0.2.1 5001 typ host")).isNull();
        assertThat(RemoteCandidates.udpAddress("candidate:1 1 udp 2122260223 4b1c2f.local 5000 typ host")).isNull();
        assertThat(RemoteCandidates.udpAddress("candidate:1 1 udp 2122260223 example.org 5000 typ host"))
                .as("never a DNS lookup").isNull();
        assertThat(RemoteCandidates.udpAddress("candidate:1 1 udp 1 192.0.2.1 70000 typ host")).isNull();
        assertThat(RemoteCandidates.udpAddress("candidate:1 1 udp 1 192.0.2.1 x typ host")).isNull();
        assertThat(RemoteCandidates.udpAddress("")).isNull();
        assertThat(RemoteCandidates.udpAddress(null)).isNull();
        assertThat(RemoteCandidates.udpAddress("candidate:" + "1 ".repeat(600))).isNull();
    }
}
