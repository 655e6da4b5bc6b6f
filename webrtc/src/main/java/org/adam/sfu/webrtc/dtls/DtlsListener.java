package org.adam.sfu.webrtc.dtls;

/**
 * Outcome of a {@link DtlsEndpoint}. Called on a handshake thread, the deadline timer, or the
 * thread that delivered a datagram: implementations hand the news over and never block.
 */
public interface DtlsListener {

    void onHandshakeComplete(DtlsResult result);

    void onHandshakeFailed(Throwable cause);

    /** The peer closed the association (close_notify or a fatal alert) after the handshake. */
    void onClosed();
}
