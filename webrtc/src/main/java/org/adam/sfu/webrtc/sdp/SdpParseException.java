package org.adam.sfu.webrtc.sdp;

/** An SDP text that is not a well-formed session description (RFC 8866 section 5). */
public final class SdpParseException extends Exception {

    public SdpParseException(String message) {
        super(message);
    }
}
