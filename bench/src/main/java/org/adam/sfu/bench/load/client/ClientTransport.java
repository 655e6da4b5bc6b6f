package org.adam.sfu.bench.load.client;

import java.net.InetSocketAddress;
import java.time.Duration;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import org.adam.sfu.webrtc.dtls.DtlsEndpoint;
import org.adam.sfu.webrtc.dtls.DtlsListener;
import org.adam.sfu.webrtc.dtls.DtlsResult;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceLiteResponder;
import org.adam.sfu.webrtc.srtp.SrtpKeys;
import org.adam.sfu.webrtc.srtp.SrtpProfile;
import org.adam.sfu.webrtc.srtp.SrtpReceiveContext;
import org.adam.sfu.webrtc.srtp.SrtpSendContext;

/**
 * The client side of one peer connection with the SFU, as a browser runs it: its own UDP
 * socket, ICE towards the SFU's one host candidate, DTLS, and SRTP both ways. The ICE and DTLS
 * roles are the connection's, decided from the session descriptions by the caller
 * ({@link ClientRoles}): towards our ICE-lite node the client is the controlling agent and the DTLS
 * client; towards a full-ICE SFU that offers, the controlled agent; towards one that answers
 * a=setup:active, the DTLS server. Checks from a full-ICE SFU are answered (RFC 8445 7.3). The
 * protocol cores are the node's own ({@link IceConnectivityChecker}, {@link IceLiteResponder},
 * {@link DtlsEndpoint}, the SRTP contexts); this class only moves datagrams between them and the
 * socket, {@link ClientDatagramDemux} sorting them, {@link ClientIce} running the ICE side.
 *
 * <p>Threading: everything after {@link #open} runs on the socket's event loop except
 * {@link #connect} and {@link #close}, which post to it. {@link Events} are called on the loop.
 */
public final class ClientTransport implements AutoCloseable {

    /** What the owner of a transport hears, on the transport's event loop. */
    public interface Events {
        void onConnected(SrtpProfile profile);

        /** A decrypted RTP packet; the buffer stays the transport's (released after the call). */
        void onRtp(ByteBuf packet, long receivedNanos);

        /** A decrypted RTCP compound packet; the buffer stays the transport's. */
        void onRtcp(ByteBuf packet);

        void onFailed(String reason);
    }

    private static final int RECEIVE_BUFFER = 2048;
    private static final int DTLS_MTU = 1200;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final ClientRuntime runtime;
    private final String label;
    private final Channel channel;
    private final IceCredentials local;
    private final Events events;
    private final ClientDatagramDemux.Receiver datagrams;

    // Event loop only.
    private final ClientIce ice;
    private DtlsEndpoint dtls;
    private SrtpSendContext srtpOut;
    private SrtpReceiveContext srtpIn;
    private volatile InetSocketAddress remote; // read by the DTLS thread too
    private boolean dtlsStarted;
    private boolean dtlsClient;
    private boolean closed;
    private long undecryptable;
    private long handlerErrors;

    private ClientTransport(ClientRuntime runtime, String label, Channel channel, Events events) {
        this.runtime = runtime;
        this.label = label;
        this.channel = channel;
        this.events = events;
        this.local = IceCredentials.random(runtime.random());
        this.ice = new ClientIce(channel, local, runtime.targets(), runtime.random());
        this.datagrams = new ClientDatagramDemux.Receiver(() -> closed,
                this::onStun, this::onDtls, this::onSrtpOrSrtcp, () -> handlerErrors++);
    }

    /** Binds a fresh socket on {@code bindHost}, port chosen by the system. Blocks for the bind. */
    public static ClientTransport open(ClientRuntime runtime, String bindHost, String label, Events events) {
        ClientTransport[] self = new ClientTransport[1];
        Channel channel = new Bootstrap()
                .group(runtime.loops())
                .channel(runtime.epoll() ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER))
                .option(ChannelOption.SO_RCVBUF, 1024 * 1024)
                .option(ChannelOption.SO_SNDBUF, 1024 * 1024)
                .handler(new ClientDatagramDemux(() -> self[0] == null ? null : self[0].datagrams))
                .bind(new InetSocketAddress(bindHost, 0)).syncUninterruptibly().channel();
        self[0] = new ClientTransport(runtime, label, channel, events);
        return self[0];
    }

    public IceCredentials iceCredentials() {
        return local;
    }

    public String fingerprintSha256() {
        return runtime.certificate().fingerprintSha256();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    public String label() {
        return label;
    }

    /**
     * Starts ICE checks towards the SFU's candidate, then the DTLS handshake in the given roles.
     * Only the first call counts (renegotiations keep the transport). Throws if the target is
     * not allowed.
     */
    public void connect(IceCredentials remoteIce, String remoteFingerprint, InetSocketAddress candidate,
                        ClientRoles roles) {
        runtime.targets().check(candidate);
        channel.eventLoop().execute(() -> {
            if (closed || ice.started()) {
                return;
            }
            remote = candidate;
            dtlsClient = roles.dtls() == DtlsRole.CLIENT;
            ice.start(remoteIce, candidate, roles.ice());
            dtls = new DtlsEndpoint(roles.dtls(), runtime.certificate(), remoteFingerprint, this::sendDtls,
                    new DtlsEvents(), runtime.handshakes(), DTLS_MTU, HANDSHAKE_TIMEOUT);
            if (!dtlsClient) {
                // The SFU connects as soon as its ICE is up, maybe before our own check is answered.
                dtlsStarted = true;
                dtls.start();
            }
            ice.startChecks();
        });
    }

    public boolean isConnected() {
        return srtpOut != null;
    }

    /**
     * Encrypts and queues an RTP packet; {@link #flush} sends what was queued. Takes ownership of
     * {@code packet}, which needs writable room for the SRTP tag. Event loop only.
     */
    public boolean sendRtp(ByteBuf packet) {
        if (srtpOut == null || closed || srtpOut.protectRtp(packet) < 0) {
            packet.release();
            return false;
        }
        channel.write(new DatagramPacket(packet, remote));
        return true;
    }

    /** As {@link #sendRtp} for an RTCP compound packet. */
    public boolean sendRtcp(ByteBuf packet) {
        if (srtpOut == null || closed || srtpOut.protectRtcp(packet) < 0) {
            packet.release();
            return false;
        }
        channel.write(new DatagramPacket(packet, remote));
        return true;
    }

    public void flush() {
        channel.flush();
    }

    /** SRTP or SRTCP packets that failed to authenticate or decrypt. Event loop only. */
    public long undecryptable() {
        return undecryptable;
    }

    /** Checks from the SFU answered (a full-ICE SFU sends them; an ICE-lite one never). Event loop only. */
    public long checksAnswered() {
        return ice.checksAnswered();
    }

    /** Datagrams whose handling threw (a bug, not the network). Event loop only. */
    public long handlerErrors() {
        return handlerErrors;
    }

    @Override
    public void close() {
        channel.eventLoop().execute(() -> {
            if (closed) {
                return;
            }
            closed = true;
            ice.stop();
            if (dtls != null) {
                dtls.close();
            }
            channel.close();
        });
    }

    private void onStun(ByteBuf content, InetSocketAddress from) {
        if (ice.onStun(content, from, remote) && !dtlsStarted) {
            dtlsStarted = true;
            dtls.start();
        }
    }

    private void onDtls(ByteBuf content) {
        if (dtls == null) {
            return;
        }
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        dtls.onDatagram(bytes);
    }

    /** RFC 5761 4: RTCP packet types 192..223 in the second byte, RTP otherwise. */
    private void onSrtpOrSrtcp(ByteBuf content, long receivedNanos) {
        if (srtpIn == null) {
            return;
        }
        int second = content.getUnsignedByte(content.readerIndex() + 1);
        if (second >= 192 && second <= 223) {
            if (srtpIn.unprotectRtcp(content) < 0) {
                undecryptable++;
                return;
            }
            events.onRtcp(content);
        } else {
            if (srtpIn.unprotectRtp(content) < 0) {
                undecryptable++;
                return;
            }
            events.onRtp(content, receivedNanos);
        }
    }

    /** Called on a handshake thread, or on the loop answering a datagram; Netty hands the write to the loop. */
    private void sendDtls(byte[] datagram) {
        InetSocketAddress to = remote;
        if (to != null) {
            channel.writeAndFlush(new DatagramPacket(channel.alloc().directBuffer(datagram.length).writeBytes(datagram),
                    to));
        }
    }

    private void onHandshakeComplete(DtlsResult result) {
        if (closed) {
            return;
        }
        SrtpProfile profile = SrtpProfile.fromId(result.srtpProfileId());
        if (profile == null) {
            events.onFailed(label + ": DTLS negotiated unknown SRTP profile " + result.srtpProfileId());
            return;
        }
        SrtpKeys keys = SrtpKeys.fromDtlsExport(profile, result.keyingMaterial(), dtlsClient);
        srtpIn = new SrtpReceiveContext(profile, keys.remoteMasterKey(), keys.remoteMasterSalt());
        srtpOut = new SrtpSendContext(profile, keys.localMasterKey(), keys.localMasterSalt());
        events.onConnected(profile);
    }

    /** DTLS callbacks arrive on a handshake thread, the deadline timer or the loop, and move onto the loop. */
    private final class DtlsEvents implements DtlsListener {
        @Override
        public void onHandshakeComplete(DtlsResult result) {
            channel.eventLoop().execute(() -> ClientTransport.this.onHandshakeComplete(result));
        }

        @Override
        public void onHandshakeFailed(Throwable cause) {
            channel.eventLoop().execute(() -> events.onFailed(label + ": DTLS handshake failed: " + cause.getMessage()));
        }

        @Override
        public void onClosed() {
            channel.eventLoop().execute(() -> {
                if (!closed) {
                    events.onFailed(label + ": DTLS closed by the node");
                }
            });
        }
    }
}
