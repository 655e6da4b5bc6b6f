package org.adam.sfu.webrtc.dtls;

/** Which side of the DTLS handshake the node plays on a transport (RFC 5763 5: from a=setup). */
public enum DtlsRole {
    /** a=setup:passive on our side: the peer (a browser) connects to us. */
    SERVER,
    /** a=setup:active on our side: we connect (node-to-node pipes where we answered actpass). */
    CLIENT
}
