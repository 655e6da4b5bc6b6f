package org.adam.sfu.webrtc.sdp;

/** A well-formed description the node cannot accept (no usable codec, no BUNDLE, ...). */
public final class SdpNegotiationException extends Exception {

    public SdpNegotiationException(String message) {
        super(message);
    }
}
