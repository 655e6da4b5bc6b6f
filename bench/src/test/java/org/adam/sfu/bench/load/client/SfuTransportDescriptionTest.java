package org.adam.sfu.bench.load.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;

import org.adam.sfu.bench.load.signal.SignallingException;
import org.adam.sfu.webrtc.dtls.DtlsCertificate;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker.Role;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;
import org.adam.sfu.webrtc.sdp.PipeDescription;
import org.junit.jupiter.api.Test;

/** A client reads the SFU's description into what it connects to and in which roles. */
class SfuTransportDescriptionTest {

    private static LocalTransportParams sfu(String fingerprint) {
        return new LocalTransportParams("sfuufrag", "sfupasswordsfupassword12", fingerprint, "127.0.0.1", 40000);
    }

    @Test
    void aFullIceOfferIsAnsweredAsTheControlledAgentAndDtlsClient() throws Exception {
        String fingerprint = DtlsCertificate.generate().fingerprintSha256();
        SfuTransportDescription read = SfuTransportDescription.read(PipeDescription.offer(sfu(fingerprint), 1), true);
        assertThat(read.ice()).isEqualTo(new IceCredentials("sfuufrag", "sfupasswordsfupassword12"));
        assertThat(read.fingerprintSha256()).isEqualTo(fingerprint);
        assertThat(read.candidate()).isEqualTo(new InetSocketAddress("127.0.0.1", 40000));
        assertThat(read.roles()).isEqualTo(new ClientRoles(Role.CONTROLLED, DtlsRole.CLIENT));
    }

    @Test
    void aPassiveAnswerIsConnectedToAsTheControllingAgentAndDtlsClient() throws Exception {
        String fingerprint = DtlsCertificate.generate().fingerprintSha256();
        SfuTransportDescription read = SfuTransportDescription.read(PipeDescription.answer(sfu(fingerprint), 1), false);
        assertThat(read.roles()).isEqualTo(new ClientRoles(Role.CONTROLLING, DtlsRole.CLIENT));
    }

    @Test
    void anUnusableDescriptionFailsTheSignalling() {
        assertThatThrownBy(() -> SfuTransportDescription.read("v=0\r\n", false))
                .isInstanceOf(SignallingException.class).hasMessageStartingWith("unusable SDP from the SFU");
    }
}
