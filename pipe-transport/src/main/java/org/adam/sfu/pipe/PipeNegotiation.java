package org.adam.sfu.pipe;

import java.security.SecureRandom;

import org.adam.sfu.room.neighbourhood.SdpMessage;
import org.adam.sfu.room.neighbourhood.SfuPipeAnswer;
import org.adam.sfu.room.neighbourhood.SfuPipeOffer;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker;
import org.adam.sfu.webrtc.sdp.LocalTransportParams;
import org.adam.sfu.webrtc.sdp.PipeDescription;
import org.adam.sfu.webrtc.sdp.SdpNegotiationException;
import org.adam.sfu.webrtc.sdp.SdpParseException;
import org.adam.sfu.webrtc.transport.RemoteParameters;
import org.adam.sfu.webrtc.transport.WebRtcTransport;

/**
 * The offer and answer that open a pipe between two nodes, and the rule that settles two offers
 * that cross. The offerer is the DTLS client and controls ICE; the answerer is the DTLS server,
 * controlled. Stateless: the pipe actors call it to offer and answer, the {@link PipeManager}
 * to settle a race, each on its own thread.
 */
final class PipeNegotiation {

    private static final SecureRandom RANDOM = new SecureRandom();

    private PipeNegotiation() {
    }

    /** The `sfu-pipe-offer` of the pipe {@code key} from node {@code nodeId}, its socket described by {@code local}. */
    static SfuPipeOffer offer(PipeKey key, String nodeId, LocalTransportParams local) {
        String sdp = PipeDescription.offer(local, RANDOM.nextLong() >>> 1);
        return new SfuPipeOffer(nodeId, key.remoteNode(), key.room().entityId(), new SdpMessage("offer", sdp));
    }

    /** Node {@code nodeId}'s `sfu-pipe-answer` to {@code offer}, its socket described by {@code local}. */
    static SfuPipeAnswer answer(String nodeId, SfuPipeOffer offer, LocalTransportParams local) {
        String sdp = PipeDescription.answer(local, RANDOM.nextLong() >>> 1);
        return new SfuPipeAnswer(nodeId, offer.fromDid(), offer.roomId(), new SdpMessage("answer", sdp));
    }

    /** The far node's transport and candidates, from its offer or answer. */
    static PipeDescription.Remote read(SdpMessage description) throws SdpParseException, SdpNegotiationException {
        return PipeDescription.read(description.sdp());
    }

    /** What this side's transport needs of the far side's description: its DTLS role follows who offered. */
    static RemoteParameters remoteParameters(PipeDescription.Remote remote, boolean offerer) {
        return new RemoteParameters(remote.transport().iceUfrag(), remote.transport().icePwd(),
                remote.transport().fingerprintSha256(), offerer ? DtlsRole.CLIENT : DtlsRole.SERVER);
    }

    static IceConnectivityChecker.Role iceRole(boolean offerer) {
        return offerer ? IceConnectivityChecker.Role.CONTROLLING : IceConnectivityChecker.Role.CONTROLLED;
    }

    /** Gives the transport the far side's parameters and starts checking its candidates. */
    static void connect(WebRtcTransport transport, PipeDescription.Remote remote, boolean offerer) {
        transport.setRemoteParameters(remoteParameters(remote, offerer));
        transport.startConnectivityChecks(remote.candidates(), iceRole(offerer));
    }

    /**
     * Both nodes offered a pipe for the same room at once: the offer of the node with the smaller
     * id is kept. True if this node keeps its own offer and ignores the one that came.
     */
    static boolean keepsOwnOffer(String nodeId, String offeringNode) {
        return nodeId.compareTo(offeringNode) < 0;
    }
}
