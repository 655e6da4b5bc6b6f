package org.adam.sfu.bench.load.client;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import org.adam.sfu.bench.load.TargetPolicy;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceLiteResponder;
import org.adam.sfu.webrtc.ice.IceSession;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunMessageType;
import org.adam.sfu.webrtc.stun.StunParseException;

/**
 * The ICE of one client connection: checks towards the SFU's one candidate every 50 ms until one
 * is answered, and answers to the SFU's own checks (a full-ICE SFU checks our candidate too, RFC
 * 8445 7.3). The protocol cores are the node's own ({@link IceConnectivityChecker},
 * {@link IceLiteResponder}); this class moves their STUN messages to and from the socket.
 *
 * <p>Thread: the connection's event loop only.
 */
final class ClientIce {

    private static final long CHECK_PERIOD_MILLIS = 50;

    private final Channel channel;
    private final IceCredentials local;
    private final TargetPolicy targets;
    private final SecureRandom random;
    /** Answers the SFU's own checks (full ICE); knows only our credentials. */
    private final IceSession localIce;
    private final IceLiteResponder responder = new IceLiteResponder();
    private IceConnectivityChecker checker;
    private ScheduledFuture<?> checks;
    private long checksAnswered;

    ClientIce(Channel channel, IceCredentials local, TargetPolicy targets, SecureRandom random) {
        this.channel = channel;
        this.local = local;
        this.targets = targets;
        this.random = random;
        this.localIce = new IceSession(local, Long.MAX_VALUE);
    }

    boolean started() {
        return checker != null;
    }

    /** Prepares the checks towards {@code candidate}; {@link #startChecks} sends them. */
    void start(IceCredentials remoteIce, InetSocketAddress candidate, IceConnectivityChecker.Role role) {
        checker = new IceConnectivityChecker(local, remoteIce, candidate, random, role);
    }

    void startChecks() {
        checks = channel.eventLoop().scheduleAtFixedRate(this::pollChecks, 0, CHECK_PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (checks != null) {
            checks.cancel(false);
        }
    }

    /** Checks from the SFU answered (a full-ICE SFU sends them; an ICE-lite one never). */
    long checksAnswered() {
        return checksAnswered;
    }

    private void pollChecks() {
        byte[] check = checker.poll(System.currentTimeMillis());
        if (check != null) {
            channel.writeAndFlush(new DatagramPacket(channel.alloc().directBuffer(check.length).writeBytes(check),
                    checker.target()));
        }
    }

    /**
     * A STUN message from {@code from}: a check of the SFU's is answered, a response to ours is
     * handed to the checker.
     * @param remote the SFU's candidate, or null before the connection knows it
     * @return true if it answered one of our checks: the SFU is reachable
     */
    boolean onStun(ByteBuf content, InetSocketAddress from, InetSocketAddress remote) {
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        if (bytes.length > 1 && (bytes[0] & 0xFF) == (StunMessageType.BINDING_REQUEST >>> 8)
                && (bytes[1] & 0xFF) == (StunMessageType.BINDING_REQUEST & 0xFF)) {
            answerCheck(bytes, from, remote);
            return false;
        }
        if (checker == null) {
            return false;
        }
        StunMessage message;
        try {
            message = StunMessage.parse(bytes, 0, bytes.length);
        } catch (StunParseException e) {
            return false;
        }
        return checker.onResponse(message, from);
    }

    /**
     * A full-ICE SFU checks our candidate too (RFC 8445 7.3): answered when it is signed with our
     * password, from the SFU's candidate only, so nothing else is ever answered.
     */
    private void answerCheck(byte[] request, InetSocketAddress from, InetSocketAddress remote) {
        if (remote != null && !remote.equals(from)) {
            return;
        }
        if (remote == null && !targets.permits(from.getAddress())) {
            return;
        }
        IceLiteResponder.Result result = responder.handle(request, 0, request.length, from,
                ufrag -> ufrag.equals(local.ufrag()) ? localIce : null);
        if (result.accepted()) {
            checksAnswered++;
            channel.writeAndFlush(new DatagramPacket(
                    channel.alloc().directBuffer(result.response().length).writeBytes(result.response()), from));
        }
    }
}
