package org.adam.sfu.room.media;

/** An offer or answer the node refuses; the message is fit to show the client. */
public final class NegotiationException extends Exception {

    public NegotiationException(String message) {
        super(message);
    }
}
