package org.adam.sfu.webrtc.stun;

import java.net.InetSocketAddress;
import java.util.Random;

/**
 * Asks a STUN server for this socket's server-reflexive address (RFC 8489 section 3: a Binding
 * request, answered with XOR-MAPPED-ADDRESS), sans-I/O: the caller sends {@link #pollTransmit()}
 * to the server, feeds datagrams to {@link #handleInput}, and calls {@link #handleTimeout} at
 * {@link #pollTimeout()}. Retransmits over UDP as RFC 8489 6.2.1 says; the caller may give up
 * earlier than the 39.5 s that takes.
 */
public final class StunBindingClient {

    public enum State { RUNNING, SUCCEEDED, FAILED }

    private final byte[] transactionId = new byte[12];
    private final byte[] request;
    private final StunRetransmission retransmission;
    private byte[] pending;
    private State state = State.RUNNING;
    private InetSocketAddress mappedAddress;
    private String failure;

    /**
     * @param random   source of the transaction id ({@link java.security.SecureRandom} outside tests)
     * @param reliable true over TCP (sent once)
     * @param now      the time the request goes out (milliseconds, any clock)
     */
    public StunBindingClient(Random random, boolean reliable, long rtoMillis, long now) {
        random.nextBytes(transactionId);
        this.request = new StunMessageWriter(StunMessageType.BINDING_REQUEST, transactionId).encode(null, true);
        this.retransmission = new StunRetransmission(reliable, rtoMillis, now);
        this.pending = request;
    }

    public State state() {
        return state;
    }

    /** The server-reflexive address, once {@link State#SUCCEEDED}. */
    public InetSocketAddress mappedAddress() {
        return mappedAddress;
    }

    /** Why it failed, once {@link State#FAILED}. */
    public String failure() {
        return failure;
    }

    /** The request to send now, or null. */
    public byte[] pollTransmit() {
        byte[] out = pending;
        pending = null;
        return out;
    }

    /** When {@link #handleTimeout} must next be called, or {@link Long#MAX_VALUE} once finished. */
    public long pollTimeout() {
        return state == State.RUNNING ? retransmission.deadline() : Long.MAX_VALUE;
    }

    public void handleTimeout(long now) {
        if (state != State.RUNNING || now < retransmission.deadline()) {
            return;
        }
        if (retransmission.onTimeout(now)) {
            pending = request;
        } else {
            state = State.FAILED;
            failure = "no answer to the STUN Binding request";
        }
    }

    /**
     * A datagram from the server: the answer to our request ends the client; anything else
     * (another transaction, not STUN, malformed) is ignored. Returns whether it was the answer.
     */
    public boolean handleInput(byte[] data, int offset, int length) {
        if (state != State.RUNNING || !StunMessage.isStun(data, offset, length)) {
            return false;
        }
        try {
            StunMessage message = StunMessage.parse(data, offset, length);
            if (message.method() != StunMessageType.METHOD_BINDING || !message.sameTransaction(transactionId)
                    || (message.hasFingerprint() && !message.verifyFingerprint())) {
                return false;
            }
            if (message.messageClass() == StunMessageType.CLASS_ERROR) {
                state = State.FAILED;
                failure = "STUN server answered error " + message.errorCode();
                return true;
            }
            if (message.messageClass() != StunMessageType.CLASS_SUCCESS) {
                return false;
            }
            InetSocketAddress address = message.xorAddress(StunAttributeType.XOR_MAPPED_ADDRESS);
            if (address == null) {
                return false;
            }
            mappedAddress = address;
            state = State.SUCCEEDED;
            return true;
        } catch (StunParseException malformed) {
            return false;
        }
    }
}
