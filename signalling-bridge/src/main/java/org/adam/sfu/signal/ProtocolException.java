package org.adam.sfu.signal;

/** A client request the node refuses; {@link #code()} is the protocol's error code. */
public final class ProtocolException extends Exception {

    private final String code;
    private final String requestId;

    public ProtocolException(String code, String message, String requestId) {
        super(message);
        this.code = code;
        this.requestId = requestId;
    }

    public String code() {
        return code;
    }

    public String requestId() {
        return requestId;
    }

    static ProtocolException badRequest(String message, String requestId) {
        return new ProtocolException(ErrorCodes.BAD_REQUEST, message, requestId);
    }
}
