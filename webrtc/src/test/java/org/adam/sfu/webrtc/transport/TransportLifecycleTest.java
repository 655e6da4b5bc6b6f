package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A transport's life on a worker whose clock the test moves: negotiated, its ICE events, its
 * media before DTLS is done, and its close, as the control plane hears of them.
 */
class TransportLifecycleTest {

    private static final String FINGERPRINT =
            "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 38123);

    private final ManualMediaClock clock = new ManualMediaClock(5_000_000);
    private final List<String> events = new ArrayList<>();
    private MediaWorkers workers;
    private MediaServer server;
    private WebRtcTransport transport;

    @BeforeEach
    void start() throws Exception {
        workers = MediaWorkers.start(MediaServerConfig.loopback(0), 1, clock);
        server = workers.all().get(0);
        transport = server.createTransport("t", new TransportListener() {
            @Override
            public void onConnected() {
                events.add("connected");
            }

            @Override
            public void onClosed(String reason) {
                events.add("closed: " + reason);
            }
        });
        // The node as DTLS client waits for ICE: no handshake starts in these tests.
        transport.setRemoteParameters(new RemoteParameters("cl1e", "client-password-client-pwd", FINGERPRINT,
                DtlsRole.CLIENT));
    }

    @AfterEach
    void stop() {
        workers.close();
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return server.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aTransportWhosePeerNeverChecksClosesOnceTheConsentTimeoutPasses() throws Exception {
        onLoop(() -> {
            transport.checkLiveness(clock.millis() + 30_000);
            return null;
        });
        assertThat(events).isEmpty();
        onLoop(() -> {
            transport.checkLiveness(clock.millis() + 30_001);
            transport.checkLiveness(clock.millis() + 40_000);
            return null;
        });
        assertThat(events).containsExactly("closed: ICE did not connect");
        assertThat(onLoop(() -> server.registry().all().contains(transport))).isFalse();
    }

    @Test
    void closeIsToldOnceWithItsReason() throws Exception {
        transport.close("bye");
        transport.close("again");
        onLoop(() -> null);
        assertThat(events).containsExactly("closed: bye");
    }

    @Test
    void aValidCheckSelectsThePeerAddressAndBindsItToTheTransport() throws Exception {
        onLoop(() -> {
            transport.connectivity().onValidIceCheck(PEER, true, clock.millis(), transport.localParameters().iceUfrag(),
                    server.channel());
            return null;
        });
        assertThat(onLoop(() -> server.registry().byAddress(PEER))).isSameAs(transport);
        assertThat(onLoop(() -> transport.connectivity().selectedPath())).as("DTLS not done")
                .isEqualTo(TransportPaths.Path.NONE);
    }

    @Test
    void mediaBeforeDtlsIsDoneIsDroppedAndReleased() throws Exception {
        ByteBuf in = Unpooled.buffer().writeByte(0x80).writeByte(96).writeZero(10);
        ByteBuf out = Unpooled.buffer().writeByte(0x80).writeByte(96).writeZero(10);
        boolean sent = onLoop(() -> {
            transport.media().onSrtp(in);
            return transport.sendRtp(out);
        });
        assertThat(sent).isFalse();
        assertThat(transport.canSend()).isFalse();
        assertThat(server.counters().droppedNotConnected.sum()).isEqualTo(1);
        assertThat(in.refCnt()).isZero();
        assertThat(out.refCnt()).isZero();
    }
}
