package org.adam.sfu.webrtc.turn;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.adam.sfu.webrtc.stun.StunLongTermKey;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunMessageType;
import org.adam.sfu.webrtc.stun.StunMessageWriter;
import org.adam.sfu.webrtc.stun.StunParseException;
import org.adam.sfu.webrtc.stun.StunRetransmission;

/**
 * A TURN client (RFC 8656) for one allocation on one server, sans-I/O: it never touches a socket
 * or a clock. The caller sends what {@link #pollTransmit()} returns to the server, feeds what the
 * server sends to {@link #handleInput}, calls {@link #handleTimeout} at {@link #pollTimeout()},
 * and takes {@link TurnEvent}s from {@link #pollEvent()}. Times are milliseconds on any clock.
 *
 * <p>It allocates (answering the server's 401 with the long-term credential and its 438 with
 * the fresh nonce), refreshes the allocation a minute before it expires, keeps permissions and
 * channel bindings alive (every 4 minutes: permissions last 5), and deallocates. Over TCP the
 * caller frames the stream with {@link TurnStreamFramer}.
 *
 * <p>The packet path does not go through here: to send, the caller looks up {@link #channelOf}
 * and writes {@link ChannelData} itself; to receive, it reads a ChannelData frame in place and
 * finds the sender with {@link #peerOfChannel}. Both are allocation-free lookups. Not thread-safe:
 * one event loop drives it.
 *
 * <p>Why it stays one class over 300 lines: it is one protocol state machine. Every request, its
 * retransmission, its 401/438 challenge and its answer read and write the same allocation state,
 * realm, nonce and key; split apart, each piece would need all of them. What does separate, the
 * refresh timing of permissions and channels, is in {@link TurnPermissions} and
 * {@link TurnChannels} already.
 */
public final class TurnClient {

    public enum State { IDLE, ALLOCATING, ALLOCATED, DEALLOCATING, CLOSED, FAILED }

    /** Permissions last 300 s (RFC 8656 section 9); refreshed well before. */
    static final long PERMISSION_REFRESH_MILLIS = 240_000;
    /** Channels last 600 s, but a ChannelBind also refreshes the channel's permission (section 12). */
    static final long CHANNEL_REFRESH_MILLIS = 240_000;
    /** An allocation is refreshed this long before its lifetime ends (or at half of a short one). */
    static final long REFRESH_MARGIN_MILLIS = 60_000;
    /** The allocation lifetime asked for in a Refresh (the server's default, section 2.2). */
    static final long REQUESTED_LIFETIME_SECONDS = 600;
    /** 401/438 answers one request may get before it counts as failed (a server that keeps refusing). */
    static final int MAX_AUTH_ATTEMPTS = 3;
    private static final int PROTOCOL_UDP = 17;

    private final TurnCredentials credentials;
    private final TurnTransport transport;
    private final Random random;
    private final long rtoMillis;

    private final ArrayDeque<byte[]> transmits = new ArrayDeque<>();
    private final ArrayDeque<TurnEvent> events = new ArrayDeque<>();
    private final Map<ByteBuffer, Transaction> transactions = new HashMap<>();
    private final TurnPermissions permissions = new TurnPermissions(PERMISSION_REFRESH_MILLIS);
    private final TurnChannels channels = new TurnChannels(CHANNEL_REFRESH_MILLIS);

    private State state = State.IDLE;
    private String realm;
    private String nonce;
    private byte[] integrityKey;
    private InetSocketAddress relayed;
    private InetSocketAddress mapped;
    private long refreshAt = Long.MAX_VALUE;

    /** One request in flight: what to send again, and what it asked for. */
    private static final class Transaction {
        final TurnRequest request;
        final InetSocketAddress peer;
        final int channel;
        final long lifetimeSeconds;
        final int authAttempts;
        final boolean authenticated;
        final byte[] bytes;
        final StunRetransmission retransmission;

        Transaction(TurnRequest request, InetSocketAddress peer, int channel, long lifetimeSeconds, int authAttempts,
                    boolean authenticated, byte[] bytes, StunRetransmission retransmission) {
            this.request = request;
            this.peer = peer;
            this.channel = channel;
            this.lifetimeSeconds = lifetimeSeconds;
            this.authAttempts = authAttempts;
            this.authenticated = authenticated;
            this.bytes = bytes;
            this.retransmission = retransmission;
        }
    }

    /**
     * @param random source of transaction ids (a {@link java.security.SecureRandom} in production:
     *               an off-path attacker must not guess them)
     */
    public TurnClient(TurnCredentials credentials, TurnTransport transport, Random random) {
        this(credentials, transport, random, StunRetransmission.DEFAULT_RTO_MILLIS);
    }

    public TurnClient(TurnCredentials credentials, TurnTransport transport, Random random, long rtoMillis) {
        this.credentials = credentials;
        this.transport = transport;
        this.random = random;
        this.rtoMillis = rtoMillis;
    }

    public State state() {
        return state;
    }

    public TurnTransport transport() {
        return transport;
    }

    /** The relayed transport address, once allocated. */
    public InetSocketAddress relayedAddress() {
        return relayed;
    }

    /** The client's address as the server saw it (server-reflexive), once allocated. */
    public InetSocketAddress mappedAddress() {
        return mapped;
    }

    /** Starts the allocation: a first Allocate without credentials, to learn realm and nonce. */
    public void allocate(long now) {
        requireState(State.IDLE, "allocate");
        state = State.ALLOCATING;
        send(TurnRequest.ALLOCATE, null, -1, 0, 0, now);
    }

    /** Lets datagrams from {@code peer}'s IP address in through the relay (any port, section 9). */
    public void createPermission(InetAddress peer, long now) {
        requireState(State.ALLOCATED, "create a permission");
        if (permissions.add(peer, now)) {
            send(TurnRequest.CREATE_PERMISSION, new InetSocketAddress(peer, 0), -1, 0, 0, now);
        }
    }

    /**
     * Binds a channel to {@code peer} (which also permits its IP) and returns its number; ChannelData
     * may use it once {@link #channelOf} returns it ({@link TurnEvent.ChannelBound}).
     */
    public int bindChannel(InetSocketAddress peer, long now) {
        requireState(State.ALLOCATED, "bind a channel");
        int assigned = channels.assignedTo(peer);
        if (assigned >= 0) {
            return assigned;
        }
        int channel = channels.assign(peer, now);
        send(TurnRequest.CHANNEL_BIND, peer, channel, 0, 0, now);
        return channel;
    }

    /**
     * No longer needs {@code peer}: its channel is no longer refreshed (the server drops it within
     * 10 minutes; its number is not reused), nor its IP's permission unless {@code keepPermission}
     * (another peer on that IP still needs it).
     */
    public void release(InetSocketAddress peer, boolean keepPermission) {
        channels.drop(peer);
        if (!keepPermission) {
            permissions.drop(peer.getAddress());
        }
    }

    /** Releases the allocation (a Refresh with LIFETIME 0, section 7.2); no more refreshes. */
    public void deallocate(long now) {
        if (state != State.ALLOCATED) {
            state = State.CLOSED; // an Allocate still in flight is forgotten; the server drops it at its lifetime
            transactions.clear();
            return;
        }
        state = State.DEALLOCATING;
        refreshAt = Long.MAX_VALUE;
        permissions.clear();
        channels.stopRefreshing();
        send(TurnRequest.REFRESH, null, -1, 0, 0, now);
    }

    /** The channel bound to {@code peer}, or -1: then send with {@link #sendIndication}. No allocation. */
    public int channelOf(InetSocketAddress peer) {
        return channels.channelOf(peer);
    }

    /** The peer a received ChannelData frame on {@code channel} came from, or null if none is bound. */
    public InetSocketAddress peerOfChannel(int channel) {
        return channels.peerOf(channel);
    }

    /** A Send indication carrying {@code length} bytes to {@code peer}, for peers without a channel (section 10). */
    public byte[] sendIndication(InetSocketAddress peer, byte[] payload, int offset, int length) {
        return new StunMessageWriter(StunMessageType.encode(StunMessageType.METHOD_SEND, StunMessageType.CLASS_INDICATION),
                transactionId()).xorPeerAddress(peer).data(payload, offset, length).encode(null, true);
    }

    /** The next bytes to send to the server, or null. Over TCP they are already framed. */
    public byte[] pollTransmit() {
        return transmits.poll();
    }

    public TurnEvent pollEvent() {
        return events.poll();
    }

    /** When {@link #handleTimeout} must be called next, or {@link Long#MAX_VALUE} if nothing waits. */
    public long pollTimeout() {
        long next = Math.min(refreshAt, Math.min(permissions.nextRefresh(), channels.nextRefresh()));
        for (Transaction t : transactions.values()) {
            next = Math.min(next, t.retransmission.deadline());
        }
        return next;
    }

    public void handleTimeout(long now) {
        List<Transaction> due = new ArrayList<>();
        for (Transaction t : transactions.values()) {
            if (t.retransmission.deadline() <= now) {
                due.add(t);
            }
        }
        for (Transaction t : due) {
            if (t.retransmission.onTimeout(now)) {
                transmits.add(t.bytes);
            } else {
                transactions.remove(ByteBuffer.wrap(transactionIdOf(t.bytes)));
                failed(t, 0, "no answer from the TURN server", now);
            }
        }
        if (state != State.ALLOCATED) {
            return;
        }
        if (refreshAt <= now) {
            refreshAt = Long.MAX_VALUE; // until the Refresh is answered
            send(TurnRequest.REFRESH, null, -1, REQUESTED_LIFETIME_SECONDS, 0, now);
        }
        for (InetAddress peer : permissions.dueForRefresh(now)) {
            send(TurnRequest.CREATE_PERMISSION, new InetSocketAddress(peer, 0), -1, 0, 0, now);
        }
        for (InetSocketAddress peer : channels.dueForRefresh(now)) {
            send(TurnRequest.CHANNEL_BIND, peer, channels.assignedTo(peer), 0, 0, now);
        }
    }

    /**
     * One datagram from the server (UDP) or one frame from {@link TurnStreamFramer} (TCP): a
     * response to one of our requests, a Data indication, or ChannelData. Anything else, or a
     * response that fails its integrity check, is ignored (an attacker's packet must not move
     * the state). Indications and ChannelData carry no integrity: the caller hands over only
     * what came from the server's address (or its TCP connection). Returns whether it was used.
     */
    public boolean handleInput(byte[] data, int offset, int length, long now) {
        if (length < 1) {
            return false;
        }
        if (ChannelData.isChannelData(data[offset])) {
            return channelData(data, offset, length);
        }
        StunMessage message;
        try {
            message = StunMessage.parse(data, offset, length);
        } catch (StunParseException notStun) {
            return false;
        }
        try {
            if (message.messageClass() == StunMessageType.CLASS_INDICATION) {
                return dataIndication(message);
            }
            if (message.messageClass() == StunMessageType.CLASS_REQUEST) {
                return false;
            }
            return response(message, now);
        } catch (StunParseException malformed) {
            return false;
        }
    }

    private boolean channelData(byte[] data, int offset, int length) {
        if (!ChannelData.isValidFrame(data, offset, length)) {
            return false;
        }
        InetSocketAddress peer = peerOfChannel(ChannelData.channel(data, offset));
        if (peer == null) {
            return false;
        }
        int payload = ChannelData.payloadLength(data, offset);
        byte[] copy = new byte[payload];
        System.arraycopy(data, offset + ChannelData.HEADER_LENGTH, copy, 0, payload);
        events.add(new TurnEvent.DataReceived(peer, copy));
        return true;
    }

    private boolean dataIndication(StunMessage message) throws StunParseException {
        if (message.method() != StunMessageType.METHOD_DATA || state != State.ALLOCATED) {
            return false;
        }
        InetSocketAddress peer = message.xorPeerAddress();
        byte[] payload = message.data();
        if (peer == null || payload == null) {
            return false;
        }
        events.add(new TurnEvent.DataReceived(peer, payload));
        return true;
    }

    private boolean response(StunMessage message, long now) throws StunParseException {
        ByteBuffer id = ByteBuffer.wrap(message.transactionId());
        Transaction t = transactions.get(id);
        if (t == null || message.method() != t.request.method) {
            return false;
        }
        boolean success = message.messageClass() == StunMessageType.CLASS_SUCCESS;
        int code = success ? 0 : message.errorCode();
        boolean challenge = code == 401 || code == 438;
        // RFC 8489 9.2.5: an answer to an authenticated request must carry a valid
        // MESSAGE-INTEGRITY, except the challenges that tell us to authenticate again.
        if (t.authenticated && !challenge && !(message.hasIntegrity() && message.verifyIntegrity(integrityKey))) {
            return false;
        }
        transactions.remove(id);
        if (success) {
            succeeded(t, message, now);
        } else if (challenge) {
            challenged(t, message, code, now);
        } else {
            String reason = message.errorReason();
            failed(t, code, reason == null ? "" : reason, now);
        }
        return true;
    }

    /** 401: authenticate with the realm and nonce given; 438: the nonce went stale, take the new one. */
    private void challenged(Transaction t, StunMessage message, int code, long now) throws StunParseException {
        String newRealm = message.realm();
        String newNonce = message.nonce();
        boolean wrongCredentials = code == 401 && t.authenticated && (newRealm == null || newRealm.equals(realm));
        if (newNonce == null || (realm == null && newRealm == null) || wrongCredentials
                || t.authAttempts + 1 >= MAX_AUTH_ATTEMPTS) {
            failed(t, code, wrongCredentials ? "credentials refused" : "authentication did not settle", now);
            return;
        }
        if (newRealm != null && !newRealm.equals(realm)) {
            realm = newRealm;
            integrityKey = StunLongTermKey.of(credentials.username(), realm, credentials.password());
        }
        nonce = newNonce;
        send(t.request, t.peer, t.channel, t.lifetimeSeconds, t.authAttempts + 1, now);
    }

    private void succeeded(Transaction t, StunMessage message, long now) throws StunParseException {
        switch (t.request) {
            case ALLOCATE -> {
                InetSocketAddress relay = message.xorRelayedAddress();
                if (relay == null) {
                    failed(t, 0, "Allocate success without XOR-RELAYED-ADDRESS", now);
                    return;
                }
                relayed = relay;
                mapped = message.xorMappedAddress();
                long lifetime = lifetimeOr(message, REQUESTED_LIFETIME_SECONDS);
                state = State.ALLOCATED;
                refreshAt = now + refreshDelay(lifetime);
                events.add(new TurnEvent.Allocated(relayed, mapped, lifetime));
            }
            case REFRESH -> {
                if (t.lifetimeSeconds == 0) {
                    closed();
                    return;
                }
                if (state != State.ALLOCATED) {
                    return;
                }
                long lifetime = lifetimeOr(message, REQUESTED_LIFETIME_SECONDS);
                refreshAt = now + refreshDelay(lifetime);
                events.add(new TurnEvent.Refreshed(lifetime));
            }
            case CREATE_PERMISSION -> {
                if (permissions.confirm(t.peer.getAddress())) {
                    events.add(new TurnEvent.PermissionCreated(t.peer.getAddress()));
                }
            }
            case CHANNEL_BIND -> {
                if (channels.confirm(t.peer, t.channel)) {
                    events.add(new TurnEvent.ChannelBound(t.peer, t.channel));
                }
            }
            default -> throw new IllegalStateException("unreachable");
        }
    }

    private void failed(Transaction t, int code, String reason, long now) {
        switch (t.request) {
            case ALLOCATE -> state = State.FAILED;
            case REFRESH -> {
                if (t.lifetimeSeconds == 0) {
                    closed(); // nothing more to do: the server drops it at its lifetime anyway
                    return;
                }
                if (state == State.ALLOCATED) {
                    state = State.FAILED; // the allocation is gone or about to be
                }
            }
            case CREATE_PERMISSION -> permissions.drop(t.peer.getAddress());
            case CHANNEL_BIND -> channels.drop(t.peer);
            default -> throw new IllegalStateException("unreachable");
        }
        if (state == State.FAILED) {
            refreshAt = Long.MAX_VALUE;
            permissions.clear();
            channels.stopRefreshing();
        }
        events.add(new TurnEvent.RequestFailed(t.request, t.peer, code, reason));
    }

    private void closed() {
        state = State.CLOSED;
        refreshAt = Long.MAX_VALUE;
        transactions.clear();
        events.add(new TurnEvent.Deallocated());
    }

    private void send(TurnRequest request, InetSocketAddress peer, int channel, long lifetimeSeconds, int authAttempts,
                      long now) {
        byte[] id = transactionId();
        StunMessageWriter writer = new StunMessageWriter(StunMessageType.encode(request.method, StunMessageType.CLASS_REQUEST), id);
        switch (request) {
            case ALLOCATE -> writer.requestedTransport(PROTOCOL_UDP);
            case REFRESH -> writer.lifetime(lifetimeSeconds);
            case CREATE_PERMISSION -> writer.xorPeerAddress(peer);
            case CHANNEL_BIND -> writer.channelNumber(channel).xorPeerAddress(peer);
            default -> throw new IllegalStateException("unreachable");
        }
        boolean authenticated = integrityKey != null;
        if (authenticated) {
            writer.username(credentials.username()).realm(realm).nonce(nonce);
        }
        byte[] bytes = writer.encode(integrityKey, true);
        Transaction t = new Transaction(request, peer, channel, lifetimeSeconds, authAttempts, authenticated, bytes,
                new StunRetransmission(transport == TurnTransport.TCP, rtoMillis, now));
        transactions.put(ByteBuffer.wrap(id), t);
        transmits.add(bytes);
    }

    private byte[] transactionId() {
        byte[] id = new byte[12];
        random.nextBytes(id);
        return id;
    }

    private static byte[] transactionIdOf(byte[] message) {
        byte[] id = new byte[12];
        System.arraycopy(message, 8, id, 0, 12);
        return id;
    }

    private static long lifetimeOr(StunMessage message, long fallback) throws StunParseException {
        long lifetime = message.lifetime();
        return lifetime < 0 ? fallback : lifetime;
    }

    private static long refreshDelay(long lifetimeSeconds) {
        long lifetime = lifetimeSeconds * 1000;
        return lifetime > 2 * REFRESH_MARGIN_MILLIS ? lifetime - REFRESH_MARGIN_MILLIS : lifetime / 2;
    }

    private void requireState(State wanted, String action) {
        if (state != wanted) {
            throw new IllegalStateException("cannot " + action + " in state " + state);
        }
    }
}
