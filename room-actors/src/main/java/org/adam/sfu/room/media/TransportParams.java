package org.adam.sfu.room.media;

import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;
import org.adam.sfu.webrtc.sdp.RemoteTransportParams;
import org.adam.sfu.webrtc.transport.LocalParameters;
import org.adam.sfu.webrtc.transport.RemoteParameters;

/** Translates between the data plane's transport parameters and the SDP layer's. */
final class TransportParams {

    private TransportParams() {
    }

    static LocalTransportParams toSdp(LocalParameters local) {
        return new LocalTransportParams(local.iceUfrag(), local.icePwd(), local.fingerprintSha256(),
                local.candidateIp(), local.candidatePort());
    }

    static RemoteParameters fromSdp(RemoteTransportParams remote) {
        return new RemoteParameters(remote.iceUfrag(), remote.icePwd(), remote.fingerprintSha256(),
                remote.weAreDtlsClient() ? DtlsRole.CLIENT : DtlsRole.SERVER);
    }
}
