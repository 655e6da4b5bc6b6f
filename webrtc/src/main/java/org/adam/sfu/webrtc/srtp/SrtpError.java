package org.adam.sfu.webrtc.srtp;

/** Negative results of the unprotect and protect calls (no exceptions on the packet path). */
public final class SrtpError {

    public static final int MALFORMED = -1;
    public static final int TOO_SHORT = -2;
    public static final int REPLAYED = -3;
    public static final int AUTH_FAILED = -4;
    public static final int CRYPTO_FAILED = -5;

    private SrtpError() {
    }
}
