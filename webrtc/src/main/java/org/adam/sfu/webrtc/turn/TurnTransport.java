package org.adam.sfu.webrtc.turn;

/** How the client reaches its TURN server (RFC 8656 section 3.1); the relay itself is always UDP. */
public enum TurnTransport {
    /** Datagrams: requests are retransmitted (RFC 8489 section 6.2.1), ChannelData is not padded. */
    UDP,
    /** A stream: no retransmissions, frames delimited by their own lengths, ChannelData padded (RFC 8656 12.5). */
    TCP
}
