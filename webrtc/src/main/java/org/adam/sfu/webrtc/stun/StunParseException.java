package org.adam.sfu.webrtc.stun;

/** A datagram that is not a well-formed STUN message (RFC 8489 section 5). */
public final class StunParseException extends Exception {

    public StunParseException(String message) {
        super(message, null, false, false);
    }
}
