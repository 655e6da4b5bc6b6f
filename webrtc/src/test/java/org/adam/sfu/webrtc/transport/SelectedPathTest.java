package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where a transport's packets go as the ICE session's selection moves; time is simulated. */
class SelectedPathTest {

    private static final InetSocketAddress FIRST = new InetSocketAddress("192.0.2.1", 5000);
    private static final InetSocketAddress SECOND = new InetSocketAddress("192.0.2.2", 6000);

    private final IceCredentials local = new IceCredentials("loc1", "local-password-local-password");
    private final IceSession ice = new IceSession(local, 30_000);
    private final TransportRegistry registry = new TransportRegistry();
    private final EmbeddedChannel socket = new EmbeddedChannel();
    private static MediaWorkers workers;
    /** The transport the path is bound to in the registry (a worker's, used only as the key). */
    private static WebRtcTransport owner;
    private SelectedPath path;

    @BeforeAll
    static void startWorker() throws Exception {
        workers = MediaWorkers.start(MediaServerConfig.loopback(0), 1);
        owner = workers.all().get(0).createTransport("owner", new TransportListener() {
            @Override
            public void onConnected() {
            }

            @Override
            public void onClosed(String reason) {
            }
        });
    }

    @AfterAll
    static void stopWorker() {
        workers.close();
    }

    @BeforeEach
    void path() {
        path = new SelectedPath(owner, "t", registry, ice, null, socket, Runnable::run, () -> { });
    }

    @AfterEach
    void release() {
        socket.finishAndReleaseAll();
    }

    private boolean validCheck(InetSocketAddress from, boolean nominated, long nowMillis) {
        path.noteUdpCheck(nowMillis);
        ice.onValidCheck(from, nominated, nowMillis, local.ufrag());
        path.afterUdpCheck(from, socket);
        return path.followSelection();
    }

    @Test
    void theFirstValidCheckSelectsAPathWithoutMovingOne() {
        assertThat(path.remoteAddress()).isNull();
        assertThat(validCheck(FIRST, false, 0)).isFalse();
        assertThat(path.remoteAddress()).isEqualTo(FIRST);
        assertThat(registry.byAddress(FIRST)).as("its datagrams are the transport's").isSameAs(owner);
        assertThat(path.kind(true)).isEqualTo(TransportPaths.Path.UDP);
        assertThat(path.kind(false)).as("before DTLS is done").isEqualTo(TransportPaths.Path.NONE);
    }

    @Test
    void aNominationFromANewAddressMovesThePathAndTheSends() {
        validCheck(FIRST, true, 0);
        assertThat(validCheck(SECOND, true, 1_000)).isTrue();
        assertThat(path.remoteAddress()).isEqualTo(SECOND);
        assertThat(registry.byAddress(FIRST)).as("the old address is let go").isNull();
        assertThat(registry.byAddress(SECOND)).isSameAs(owner);
        path.write(Unpooled.buffer().writeByte(1));
        socket.flushOutbound();
        DatagramPacket sent = socket.readOutbound();
        assertThat(sent.recipient()).isEqualTo(SECOND);
        sent.release();
    }

    @Test
    void aRepeatedCheckOnTheSelectedPathMovesNothing() {
        validCheck(FIRST, true, 0);
        assertThat(validCheck(FIRST, true, 2_500)).isFalse();
        assertThat(validCheck(SECOND, false, 2_600)).as("not nominated: the selection stays").isFalse();
        assertThat(path.remoteAddress()).isEqualTo(FIRST);
    }

    @Test
    void aSelectedUdpPathStaysPreferredForSixSecondsAfterItsLastCheck() {
        assertThat(path.udpSelectedAndAlive(0)).as("nothing selected").isFalse();
        validCheck(FIRST, true, 10_000);
        assertThat(path.udpSelectedAndAlive(10_000 + SelectedPath.UDP_PREFERRED_MILLIS - 1)).isTrue();
        assertThat(path.udpSelectedAndAlive(10_000 + SelectedPath.UDP_PREFERRED_MILLIS)).isFalse();
    }

    @Test
    void forgettingTheSelectedAddressLeavesNoPeer() {
        validCheck(FIRST, true, 0);
        path.forget(SECOND);
        assertThat(path.remoteAddress()).isEqualTo(FIRST);
        path.forget(FIRST);
        assertThat(path.remoteAddress()).isNull();
        assertThat(path.kind(true)).isEqualTo(TransportPaths.Path.NONE);
    }

    @Test
    void dtlsGoesStraightToTheSelectedAddress() {
        path.sendDtls(new byte[] {22});
        assertThat((Object) socket.readOutbound()).as("no peer yet").isNull();
        validCheck(FIRST, true, 0);
        path.sendDtls(new byte[] {22});
        DatagramPacket sent = socket.readOutbound();
        assertThat(sent.recipient()).isEqualTo(FIRST);
        assertThat(sent.content().getByte(0)).isEqualTo((byte) 22);
        sent.release();
    }
}
