package org.adam.sfu.bench.load.client;

import java.net.InetSocketAddress;

import org.adam.sfu.bench.load.signal.SignallingException;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.sdp.MediaDescription;
import org.adam.sfu.webrtc.sdp.PipeDescription;
import org.adam.sfu.webrtc.sdp.SessionDescription;

/**
 * What a client connection needs of the SFU's session description to connect: its ICE
 * credentials, certificate fingerprint and candidate, and the roles the description implies
 * (our node is ICE-lite and passive or actpass; a full-ICE SFU that offers makes the client the
 * controlled agent). Immutable; read on the signalling thread.
 */
record SfuTransportDescription(IceCredentials ice, String fingerprintSha256, InetSocketAddress candidate,
                               ClientRoles roles) {

    /**
     * @param sfuOffered the description is the SFU's offer (the client answers it)
     * @throws SignallingException if the description is not usable
     */
    static SfuTransportDescription read(String sfuSdp, boolean sfuOffered) throws SignallingException {
        try {
            PipeDescription.Remote remote = PipeDescription.read(sfuSdp);
            SessionDescription description = SessionDescription.parse(sfuSdp);
            MediaDescription first = description.media().stream().filter(m -> !m.isRejected()).findFirst()
                    .orElseThrow();
            String setup = description.attributeOf(first, "setup");
            ClientRoles roles = ClientRoles.of(sfuOffered, description.hasAttribute("ice-lite")
                    || first.hasAttribute("ice-lite"), setup == null ? null : setup.trim());
            return new SfuTransportDescription(new IceCredentials(remote.transport().iceUfrag(),
                    remote.transport().icePwd()), remote.transport().fingerprintSha256(), remote.candidate(), roles);
        } catch (Exception e) {
            throw new SignallingException("unusable SDP from the SFU: " + e.getMessage(), e);
        }
    }
}
