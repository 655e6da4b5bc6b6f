package org.adam.sfu.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import org.adam.sfu.webrtc.stun.StunParseException;
import org.adam.sfu.webrtc.turn.ChannelData;
import org.adam.sfu.webrtc.turn.TurnClient;
import org.adam.sfu.webrtc.turn.TurnCredentials;
import org.adam.sfu.webrtc.turn.TurnEvent;
import org.adam.sfu.webrtc.turn.TurnStreamFramer;
import org.adam.sfu.webrtc.turn.TurnTransport;
import org.junit.jupiter.api.Test;

/**
 * The node's TURN client (webrtc {@code turn}) against a real Debian coturn on 127.0.0.1: over
 * UDP and over TCP to the server, with a long-term user and with TURN REST credentials, it
 * allocates, permits and binds a channel to a peer socket, carries data both ways (Send/Data
 * indications and ChannelData), refreshes, and deallocates.
 */
class TurnClientCoturnTest {

    private static final Duration STEP = Duration.ofSeconds(10);

    @Test
    void longTermUserOverUdp() throws Exception {
        try (CoturnProcess coturn = CoturnProcess.withUser(34780, "alice", "wonderland")) {
            roundTrip(coturn, new TurnCredentials("alice", "wonderland"), TurnTransport.UDP);
        }
    }

    @Test
    void longTermUserOverTcp() throws Exception {
        try (CoturnProcess coturn = CoturnProcess.withUser(34980, "alice", "wonderland")) {
            roundTrip(coturn, new TurnCredentials("alice", "wonderland"), TurnTransport.TCP);
        }
    }

    @Test
    void restCredentialsOverUdpAndTcp() throws Exception {
        try (CoturnProcess coturn = CoturnProcess.withSharedSecret(35180, "north-secret")) {
            long expiry = System.currentTimeMillis() / 1000 + 3600;
            roundTrip(coturn, TurnCredentials.restApi("north-secret", "node-a", expiry), TurnTransport.UDP);
            roundTrip(coturn, TurnCredentials.restApi("north-secret", "node-b", expiry), TurnTransport.TCP);
        }
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        try (CoturnProcess coturn = CoturnProcess.withUser(35380, "alice", "wonderland");
             Connection server = Connection.open(TurnTransport.UDP, coturn.address())) {
            Driver turn = new Driver(new TurnClient(new TurnCredentials("alice", "guess"), TurnTransport.UDP,
                    new SecureRandom()), server);
            turn.client.allocate(turn.now());
            TurnEvent failed = turn.await(e -> e instanceof TurnEvent.RequestFailed);
            assertThat(((TurnEvent.RequestFailed) failed).errorCode()).isEqualTo(401);
            assertThat(turn.client.state()).isEqualTo(TurnClient.State.FAILED);
        }
    }

    private static void roundTrip(CoturnProcess coturn, TurnCredentials credentials, TurnTransport transport)
            throws Exception {
        try (Connection server = Connection.open(transport, coturn.address());
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            peer.setSoTimeout(200);
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            Driver turn = new Driver(new TurnClient(credentials, transport, new SecureRandom()), server);

            long allocateStart = System.nanoTime();
            turn.client.allocate(turn.now());
            TurnEvent.Allocated allocated = (TurnEvent.Allocated) turn.await(e -> e instanceof TurnEvent.Allocated);
            long allocateMicros = (System.nanoTime() - allocateStart) / 1000;
            InetSocketAddress relayed = allocated.relayed();
            assertThat(relayed.getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(relayed.getPort()).isBetween(coturn.port() + 1, coturn.port() + 100);
            assertThat(allocated.mapped().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());

            // Send and Data indications, under a permission.
            turn.client.createPermission(peerAddress.getAddress(), turn.now());
            turn.await(e -> e.equals(new TurnEvent.PermissionCreated(peerAddress.getAddress())));
            byte[] hello = "through the relay".getBytes();
            server.send(turn.client.sendIndication(peerAddress, hello, 0, hello.length));
            assertThat(receiveFromRelay(peer, relayed)).isEqualTo(hello);
            byte[] back = "and back".getBytes();
            peer.send(new DatagramPacket(back, back.length, relayed));
            TurnEvent.DataReceived indication = (TurnEvent.DataReceived) turn.await(e -> e instanceof TurnEvent.DataReceived);
            assertThat(indication.peer()).isEqualTo(peerAddress);
            assertThat(indication.data()).isEqualTo(back);

            // A channel: ChannelData both ways, an odd length so that TCP pads.
            long bindStart = System.nanoTime();
            int channel = turn.client.bindChannel(peerAddress, turn.now());
            turn.await(e -> e.equals(new TurnEvent.ChannelBound(peerAddress, channel)));
            System.out.printf("TURN over %s (%s): allocated in %d us (401 challenge included), channel bound in %d us%n",
                    transport, credentials.username(), allocateMicros, (System.nanoTime() - bindStart) / 1000);
            assertThat(turn.client.channelOf(peerAddress)).isEqualTo(channel);
            byte[] media = new byte[1001];
            Arrays.fill(media, (byte) 0x5A);
            byte[] frame = new byte[ChannelData.paddedLength(media.length)];
            int length = ChannelData.write(frame, 0, channel, media, 0, media.length, transport);
            server.send(Arrays.copyOf(frame, length));
            assertThat(receiveFromRelay(peer, relayed)).isEqualTo(media);
            peer.send(new DatagramPacket(media, 999, relayed));
            TurnEvent.DataReceived viaChannel = (TurnEvent.DataReceived) turn.await(e -> e instanceof TurnEvent.DataReceived);
            assertThat(viaChannel.peer()).isEqualTo(peerAddress);
            assertThat(viaChannel.data()).isEqualTo(Arrays.copyOf(media, 999));
            assertThat(turn.channelDataFrames).isEqualTo(1);

            // Time is passed in: nine minutes later by the client's clock, the allocation is
            // refreshed (and permission and channel with it), and the server agrees.
            turn.skewMillis = 540_000;
            turn.await(e -> e instanceof TurnEvent.Refreshed);
            assertThat(turn.client.state()).isEqualTo(TurnClient.State.ALLOCATED);

            turn.client.deallocate(turn.now());
            turn.await(e -> e instanceof TurnEvent.Deallocated);
            assertThat(turn.failures).isEmpty();
        }
    }

    private static byte[] receiveFromRelay(DatagramSocket peer, InetSocketAddress relayed) throws IOException {
        byte[] buffer = new byte[2048];
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                peer.receive(packet);
            } catch (SocketTimeoutException notYet) {
                continue;
            }
            assertThat(packet.getSocketAddress()).isEqualTo(relayed);
            return Arrays.copyOf(buffer, packet.getLength());
        }
        throw new AssertionError("nothing came through the relay within " + STEP);
    }

    /** Drives a {@link TurnClient} over a real connection, on the test thread, with a clock that can jump. */
    private static final class Driver {
        final TurnClient client;
        final Connection server;
        final long start = System.nanoTime();
        final List<TurnEvent> failures = new ArrayList<>();
        long skewMillis;
        int channelDataFrames;

        Driver(TurnClient client, Connection server) {
            this.client = client;
            this.server = server;
        }

        long now() {
            return (System.nanoTime() - start) / 1_000_000 + skewMillis;
        }

        /** Runs the client until it reports an event that matches, within {@link #STEP}. */
        TurnEvent await(Predicate<TurnEvent> wanted) throws IOException, StunParseException {
            long deadline = System.nanoTime() + STEP.toNanos();
            while (System.nanoTime() < deadline) {
                for (byte[] out; (out = client.pollTransmit()) != null; ) {
                    server.send(out);
                }
                for (TurnEvent event; (event = client.pollEvent()) != null; ) {
                    if (event instanceof TurnEvent.RequestFailed) {
                        failures.add(event);
                    }
                    if (wanted.test(event)) {
                        return event;
                    }
                }
                long wait = Math.max(1, Math.min(100, client.pollTimeout() - now()));
                server.receive((int) wait, (data, offset, length) -> {
                    if (length > 0 && ChannelData.isChannelData(data[offset])) {
                        channelDataFrames++;
                    }
                    client.handleInput(data, offset, length, now());
                });
                if (client.pollTimeout() <= now()) {
                    client.handleTimeout(now());
                }
            }
            throw new AssertionError("no matching TURN event within " + STEP + "; failures " + failures);
        }
    }

    /** The client's connection to the server: datagrams, or a stream split by {@link TurnStreamFramer}. */
    private interface Connection extends AutoCloseable {
        void send(byte[] bytes) throws IOException;

        /** Hands what arrives within {@code timeoutMillis} to {@code sink}, one datagram or frame at a time. */
        void receive(int timeoutMillis, TurnStreamFramer.FrameSink sink) throws IOException, StunParseException;

        @Override
        void close() throws IOException;

        static Connection open(TurnTransport transport, InetSocketAddress server) throws IOException {
            return transport == TurnTransport.UDP ? new Udp(server) : new Tcp(server);
        }
    }

    private static final class Udp implements Connection {
        private final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        private final InetSocketAddress server;
        private final byte[] buffer = new byte[65_536];

        Udp(InetSocketAddress server) throws IOException {
            this.server = server;
        }

        @Override
        public void send(byte[] bytes) throws IOException {
            socket.send(new DatagramPacket(bytes, bytes.length, server));
        }

        @Override
        public void receive(int timeoutMillis, TurnStreamFramer.FrameSink sink) throws IOException {
            socket.setSoTimeout(timeoutMillis);
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                sink.frame(buffer, 0, packet.getLength());
            } catch (SocketTimeoutException quiet) {
                // nothing this time
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static final class Tcp implements Connection {
        private final Socket socket;
        private final InputStream in;
        private final TurnStreamFramer framer = new TurnStreamFramer();
        private final byte[] buffer = new byte[16_384];

        Tcp(InetSocketAddress server) throws IOException {
            socket = new Socket();
            socket.connect(server, 5000);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
        }

        @Override
        public void send(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
        }

        @Override
        public void receive(int timeoutMillis, TurnStreamFramer.FrameSink sink) throws IOException, StunParseException {
            socket.setSoTimeout(timeoutMillis);
            try {
                int read = in.read(buffer);
                if (read < 0) {
                    throw new IOException("TURN server closed the TCP connection");
                }
                framer.feed(buffer, 0, read, sink);
            } catch (SocketTimeoutException quiet) {
                // nothing this time
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
