package org.adam.sfu.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;

import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.neighbourhood.SdpMessage;
import org.adam.sfu.room.neighbourhood.SfuPipeAnswer;
import org.adam.sfu.room.neighbourhood.SfuPipeOffer;
import org.adam.sfu.webrtc.dtls.DtlsCertificate;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;
import org.adam.sfu.webrtc.sdp.PipeDescription;
import org.adam.sfu.webrtc.sdp.SdpNegotiationException;
import org.adam.sfu.webrtc.sdp.SdpParseException;
import org.adam.sfu.webrtc.transport.RemoteParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The offer and answer that open a pipe, and which of two crossed offers is kept. */
class PipeNegotiationTest {

    private static final RoomKey ROOM = new RoomKey("neighbourhood://test", "pipes");
    private static LocalTransportParams offererSocket;
    private static LocalTransportParams answererSocket;

    @BeforeAll
    static void sockets() throws Exception {
        offererSocket = new LocalTransportParams("offerufrag", "offerpasswordofferpassword",
                DtlsCertificate.generate().fingerprintSha256(), "127.0.0.1", 40000);
        answererSocket = new LocalTransportParams("answerufrag", "answerpasswordanswerpass",
                DtlsCertificate.generate().fingerprintSha256(), "127.0.0.1", 40002);
    }

    @Test
    void anOfferNamesBothNodesAndTheRoomAndLeavesTheDtlsRoleOpen() {
        SfuPipeOffer offer = PipeNegotiation.offer(new PipeKey(ROOM, "node-b"), "node-a", offererSocket);
        assertThat(offer.fromDid()).isEqualTo("node-a");
        assertThat(offer.toDid()).isEqualTo("node-b");
        assertThat(offer.roomId()).isEqualTo(ROOM.entityId());
        assertThat(offer.sdpOffer().type()).isEqualTo("offer");
        assertThat(offer.sdpOffer().sdp()).contains("a=setup:actpass");
    }

    @Test
    void theAnswererReadsTheOffererSocketAndTheOffererTheAnswerers() throws Exception {
        SfuPipeOffer offer = PipeNegotiation.offer(new PipeKey(ROOM, "node-b"), "node-a", offererSocket);
        PipeDescription.Remote offered = PipeNegotiation.read(offer.sdpOffer());
        assertThat(offered.transport().iceUfrag()).isEqualTo("offerufrag");
        assertThat(offered.candidates()).containsExactly(new InetSocketAddress("127.0.0.1", 40000));

        SfuPipeAnswer answer = PipeNegotiation.answer("node-b", offer, answererSocket);
        assertThat(answer.fromDid()).isEqualTo("node-b");
        assertThat(answer.toDid()).isEqualTo("node-a");
        assertThat(answer.roomId()).isEqualTo(offer.roomId());
        assertThat(answer.sdpAnswer().type()).isEqualTo("answer");
        PipeDescription.Remote answered = PipeNegotiation.read(answer.sdpAnswer());
        assertThat(answered.transport().icePwd()).isEqualTo("answerpasswordanswerpass");
        assertThat(answered.transport().fingerprintSha256()).isEqualTo(answererSocket.fingerprintSha256());
        assertThat(answered.candidates()).containsExactly(new InetSocketAddress("127.0.0.1", 40002));
    }

    @Test
    void theOffererIsTheDtlsClientAndControlsIce() throws Exception {
        PipeDescription.Remote answered = PipeNegotiation.read(PipeNegotiation.answer("node-b",
                PipeNegotiation.offer(new PipeKey(ROOM, "node-b"), "node-a", offererSocket), answererSocket)
                .sdpAnswer());
        assertThat(PipeNegotiation.remoteParameters(answered, true)).isEqualTo(new RemoteParameters("answerufrag",
                "answerpasswordanswerpass", answererSocket.fingerprintSha256(), DtlsRole.CLIENT));
        assertThat(PipeNegotiation.remoteParameters(answered, false).localRole()).isEqualTo(DtlsRole.SERVER);
        assertThat(PipeNegotiation.iceRole(true)).isEqualTo(IceConnectivityChecker.Role.CONTROLLING);
        assertThat(PipeNegotiation.iceRole(false)).isEqualTo(IceConnectivityChecker.Role.CONTROLLED);
    }

    @Test
    void anUnreadableDescriptionIsRefused() {
        assertThatThrownBy(() -> PipeNegotiation.read(new SdpMessage("offer", "v=0\r\nnot a pipe\r\n")))
                .isInstanceOfAny(SdpParseException.class, SdpNegotiationException.class);
    }

    @Test
    void ofTwoCrossedOffersTheOneOfTheNodeWithTheSmallerIdIsKept() {
        assertThat(PipeNegotiation.keepsOwnOffer("node-a", "node-b")).isTrue();
        assertThat(PipeNegotiation.keepsOwnOffer("node-b", "node-a")).isFalse();
    }
}
