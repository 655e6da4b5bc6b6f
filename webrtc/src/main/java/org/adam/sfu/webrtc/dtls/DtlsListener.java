package org.adam.sfu.webrtc.dtls;

/** Outcome of a {@link DtlsEndpoint}; called on the endpoint's handshake thread, never blocking. */
public interface DtlsListener {

    void onHandshakeComplete(DtlsResult result);

    void onHandshakeFailed(Throwable cause);

    /** The peer closed the association (close_notify or a fatal alert) after the handshake. */
    void onClosed();
}
