package org.adam.sfu.signal;

/** The protocol's error codes (protocol.md, "Precise rules"). */
public final class ErrorCodes {

    public static final String BAD_REQUEST = "bad-request";
    public static final String UNKNOWN_TYPE = "unknown-type";
    public static final String TOO_LARGE = "too-large";
    public static final String NOT_JOINED = "not-joined";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String NOT_A_MEMBER = "not-a-member";
    public static final String NODE_FULL = "node-full";
    public static final String INTERNAL = "internal";
    /** Sent by the participant itself when neither peer connection came up in time (it is then removed). */
    public static final String NEGOTIATION_TIMEOUT = "negotiation-timeout";

    private ErrorCodes() {
    }
}
