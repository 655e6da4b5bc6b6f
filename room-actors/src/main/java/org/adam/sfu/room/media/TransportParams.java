package org.adam.sfu.room.media;

import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.sdp.RemoteTransportParams;
import org.adam.sfu.webrtc.transport.RemoteParameters;

/** Translates the SDP layer's view of the peer's transport into the data plane's. */
final class TransportParams {

    private TransportParams() {
    }

    static RemoteParameters fromSdp(RemoteTransportParams remote) {
        return new RemoteParameters(remote.iceUfrag(), remote.icePwd(), remote.fingerprintSha256(),
                remote.weAreDtlsClient() ? DtlsRole.CLIENT : DtlsRole.SERVER);
    }
}
