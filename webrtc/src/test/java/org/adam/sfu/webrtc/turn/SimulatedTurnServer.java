package org.adam.sfu.webrtc.turn;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.adam.sfu.webrtc.stun.StunLongTermKey;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunMessageType;
import org.adam.sfu.webrtc.stun.StunMessageWriter;

/**
 * Just enough of a TURN server (RFC 8656) to drive {@link TurnClient} in simulated time: it
 * challenges unauthenticated requests with 401, stale nonces with 438, checks the long-term
 * MESSAGE-INTEGRITY, and answers Allocate, Refresh, CreatePermission and ChannelBind, signing
 * its answers. It records what it was asked.
 */
public final class SimulatedTurnServer {

    static final String REALM = "sim.example";
    public static final InetSocketAddress RELAYED = address("198.51.100.7", 50000);
    static final InetSocketAddress MAPPED = address("203.0.113.9", 61000);

    private final String username;
    private final byte[] key;
    String nonce = "nonce-1";
    long lifetimeSeconds = 600;
    /** Requests seen, as "METHOD" or "METHOD-unauthenticated" / "METHOD-stale". */
    public final List<String> log = new ArrayList<>();
    final List<InetSocketAddress> peers = new ArrayList<>();
    final List<Integer> channels = new ArrayList<>();

    public SimulatedTurnServer(String username, String password) {
        this.username = username;
        this.key = StunLongTermKey.of(username, REALM, password);
    }

    /** The answer to one request, or null for anything that is not a request. */
    public byte[] answer(byte[] request) throws Exception {
        StunMessage message = StunMessage.parse(request, 0, request.length);
        if (message.messageClass() != StunMessageType.CLASS_REQUEST) {
            log.add("indication-" + message.method());
            return null;
        }
        int method = message.method();
        String name = name(method);
        if (!message.hasIntegrity()) {
            log.add(name + "-unauthenticated");
            return error(message, 401, "Unauthorized", true);
        }
        if (!username.equals(message.username()) || !message.verifyIntegrity(key)) {
            log.add(name + "-bad-integrity");
            return error(message, 401, "Unauthorized", true);
        }
        if (!nonce.equals(message.nonce())) {
            log.add(name + "-stale");
            return error(message, 438, "Stale Nonce", true);
        }
        log.add(name);
        StunMessageWriter success = new StunMessageWriter(StunMessageType.encode(method, StunMessageType.CLASS_SUCCESS),
                message.transactionId());
        switch (method) {
            case StunMessageType.METHOD_ALLOCATE -> {
                if (message.requestedTransport() != 17) {
                    return error(message, 442, "Unsupported Transport Protocol", false);
                }
                success.xorRelayedAddress(RELAYED).xorMappedAddress(MAPPED).lifetime(lifetimeSeconds);
            }
            case StunMessageType.METHOD_REFRESH -> success.lifetime(Math.min(message.lifetime(), lifetimeSeconds));
            case StunMessageType.METHOD_CREATE_PERMISSION -> peers.add(message.xorPeerAddress());
            case StunMessageType.METHOD_CHANNEL_BIND -> {
                peers.add(message.xorPeerAddress());
                channels.add(message.channelNumber());
            }
            default -> {
                return error(message, 400, "Bad Request", false);
            }
        }
        return success.encode(key, true);
    }

    /** A Data indication from {@code peer}, as the relay sends one. */
    public static byte[] dataIndication(InetSocketAddress peer, byte[] payload) {
        return new StunMessageWriter(StunMessageType.encode(StunMessageType.METHOD_DATA, StunMessageType.CLASS_INDICATION),
                new byte[12]).xorPeerAddress(peer).data(payload, 0, payload.length).encode(null, true);
    }

    private byte[] error(StunMessage request, int code, String reason, boolean challenge) {
        StunMessageWriter writer = new StunMessageWriter(
                StunMessageType.encode(request.method(), StunMessageType.CLASS_ERROR), request.transactionId())
                .errorCode(code, reason);
        if (challenge) {
            return writer.realm(REALM).nonce(nonce).encode(null, true);
        }
        return writer.encode(key, true);
    }

    static String name(int method) {
        return switch (method) {
            case StunMessageType.METHOD_ALLOCATE -> "allocate";
            case StunMessageType.METHOD_REFRESH -> "refresh";
            case StunMessageType.METHOD_CREATE_PERMISSION -> "permission";
            case StunMessageType.METHOD_CHANNEL_BIND -> "channel-bind";
            default -> "method-" + method;
        };
    }

    public static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

}
