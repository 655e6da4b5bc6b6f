package org.adam.sfu.webrtc.sdp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.adam.sfu.webrtc.ice.RemoteCandidates;

/**
 * Session descriptions for node-to-node pipes: one bundled transport with an audio and a video
 * m-line, sendrecv, listing the codecs the node forwards. Which tracks cross is agreed between
 * the nodes' pipe actors, and packets are told apart by SSRC, as mediasoup's pipe transports do;
 * the SDP only sets up ICE, DTLS-SRTP and the codecs. The offerer is the controlling ICE agent
 * and the DTLS client; the answerer is the controlled agent and the DTLS server. Both check every
 * candidate of the other, so a pipe between nodes behind NAT comes up through their
 * server-reflexive candidates (each side's checks open its own NAT for the other's).
 */
public final class PipeDescription {

    static final List<RtpCodec> AUDIO = List.of(
            new RtpCodec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of()));
    static final List<RtpCodec> VIDEO = List.of(
            new RtpCodec(96, "VP8", 90000, 0, "", List.of("nack", "nack pli", "ccm fir")),
            new RtpCodec(98, "VP9", 90000, 0, "profile-id=0", List.of("nack", "nack pli", "ccm fir")),
            new RtpCodec(102, "H264", 90000, 0, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                    List.of("nack", "nack pli", "ccm fir")),
            new RtpCodec(45, "AV1", 90000, 0, "", List.of("nack", "nack pli", "ccm fir")));

    /** Most candidates of the other node that are checked: its host ones, a reflexive and a relayed one. */
    public static final int MAX_CANDIDATES = 8;

    /**
     * The parsed answer or offer of the other node.
     *
     * @param candidates its UDP candidates (host, server-reflexive, relayed), in its order, at most
     *                   {@value #MAX_CANDIDATES}; never empty
     */
    public record Remote(RemoteTransportParams transport, List<InetSocketAddress> candidates) {
        public Remote {
            candidates = List.copyOf(candidates);
        }

        /** The first (most preferred) candidate. */
        public InetSocketAddress candidate() {
            return candidates.get(0);
        }
    }

    private PipeDescription() {
    }

    public static String offer(LocalTransportParams local, long sessionId) {
        return write(local, sessionId, "actpass");
    }

    public static String answer(LocalTransportParams local, long sessionId) {
        return write(local, sessionId, "passive");
    }

    /** Reads the other node's description: its ICE credentials, fingerprint, role and UDP candidates. */
    public static Remote read(String sdp) throws SdpParseException, SdpNegotiationException {
        SessionDescription description = SessionDescription.parse(sdp);
        MediaDescription first = description.media().stream().filter(m -> !m.isRejected()).findFirst()
                .orElseThrow(() -> new SdpNegotiationException("pipe description has no m-line"));
        RemoteTransportParams transport = RemoteTransportParams.read(description, first);
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String candidate : transport.candidates()) {
            InetSocketAddress address = RemoteCandidates.udpAddress(candidate); // literals only: no DNS lookup
            if (address != null && !addresses.contains(address) && addresses.size() < MAX_CANDIDATES) {
                addresses.add(address);
            }
        }
        if (addresses.isEmpty()) {
            throw new SdpNegotiationException("pipe description has no UDP candidate");
        }
        return new Remote(transport, addresses);
    }

    private static String write(LocalTransportParams local, long sessionId, String setup) {
        SdpWriter out = new SdpWriter();
        out.line('v', "0")
                .line('o', "- " + sessionId + " 1 IN IP4 127.0.0.1")
                .line('s', "adam-sfu-pipe")
                .line('t', "0 0")
                .attribute("group", "BUNDLE 0 1")
                .attribute("msid-semantic", " WMS *");
        section(out, local, setup, "0", "audio", AUDIO);
        section(out, local, setup, "1", "video", VIDEO);
        return out.toString();
    }

    private static void section(SdpWriter out, LocalTransportParams local, String setup, String mid, String kind,
                                List<RtpCodec> codecs) {
        StringBuilder formats = new StringBuilder();
        for (RtpCodec codec : codecs) {
            formats.append(formats.length() == 0 ? "" : " ").append(codec.payloadType());
        }
        out.bundledRtpSection(kind, formats.toString(), local, setup);
        out.attribute("mid", mid);
        out.attribute("sendrecv");
        out.attribute("rtcp-mux");
        for (RtpCodec codec : codecs) {
            out.attribute("rtpmap", codec.rtpmap());
            for (String feedback : codec.rtcpFeedback()) {
                out.attribute("rtcp-fb", codec.payloadType() + " " + feedback);
            }
            if (!codec.fmtp().isEmpty()) {
                out.attribute("fmtp", codec.payloadType() + " " + codec.fmtp());
            }
        }
        out.candidates(local);
    }
}
