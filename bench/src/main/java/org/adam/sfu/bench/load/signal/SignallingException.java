package org.adam.sfu.bench.load.signal;

/** Signalling with the SFU failed: refused, timed out, or the connection broke. */
public final class SignallingException extends Exception {

    public SignallingException(String message) {
        super(message);
    }

    public SignallingException(String message, Throwable cause) {
        super(message, cause);
    }
}
