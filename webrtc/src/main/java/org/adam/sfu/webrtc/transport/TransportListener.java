package org.adam.sfu.webrtc.transport;

/**
 * Control-plane callbacks of a {@link WebRtcTransport}. They are called on network or handshake
 * threads: implementations must only hand the news over (e.g. tell an actor), never block.
 */
public interface TransportListener {

    /** ICE and DTLS are done and SRTP keys are installed: media can flow. */
    void onConnected();

    /** The transport is closed for good (consent lost, DTLS failure, or closed locally). */
    void onClosed(String reason);

    /**
     * The peer closed the transport on purpose (a DTLS close_notify: it closed its peer
     * connection), so the transport is closed for good. A client does that when it leaves, and its
     * signalling may tell the same a moment later or earlier; by default this is just a close.
     */
    default void onClosedByPeer() {
        onClosed(WebRtcTransport.CLOSED_BY_PEER);
    }

    /**
     * No valid ICE check came for the consent timeout: nothing is sent, and the transport closes
     * unless the peer comes back (an ICE restart, or its checks again) within the restart grace.
     */
    default void onConsentLost() {
    }

    /** Valid checks came back after {@link #onConsentLost()}: media flows again. */
    default void onConsentRestored() {
    }
}
