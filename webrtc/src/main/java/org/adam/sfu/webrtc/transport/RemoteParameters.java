package org.adam.sfu.webrtc.transport;

import org.adam.sfu.webrtc.dtls.DtlsRole;

/** What the peer's SDP says: its ICE credentials and certificate fingerprint, and our DTLS role. */
public record RemoteParameters(String iceUfrag, String icePwd, String fingerprintSha256, DtlsRole localRole) {
}
