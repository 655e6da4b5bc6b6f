package org.adam.sfu.webrtc.dtls;

/**
 * A finished DTLS-SRTP handshake.
 *
 * @param srtpProfileId  the use_srtp protection profile both sides agreed on (RFC 5764 4.1.2)
 * @param keyingMaterial the exported SRTP keying material (RFC 5764 4.2)
 * @param localRole      our role, which says which half of the material we send with
 * @param peerFingerprint sha-256 fingerprint of the peer's certificate, SDP form
 */
public record DtlsResult(int srtpProfileId, byte[] keyingMaterial, DtlsRole localRole, String peerFingerprint) {
}
