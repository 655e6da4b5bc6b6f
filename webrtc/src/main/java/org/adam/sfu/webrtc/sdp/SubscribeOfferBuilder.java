package org.adam.sfu.webrtc.sdp;

import java.util.List;
import java.util.Set;

/**
 * Writes the node's offer on a subscribe connection: one sendonly m-line per forwarded track,
 * all bundled, with the SSRC the node sends it on and `a=msid:<publisher> <track>`; a removed
 * track's m-line is rejected (port 0, out of the BUNDLE group) unless it is the first, which
 * carries the BUNDLE transport and stays, inactive. The codec is
 * the publisher's, so packets are forwarded without transcoding, under the bundle's own payload
 * type number ({@link BundlePayloadTypes}); video has an RTX
 * stream beside it for the node's retransmissions. Every m-line asks for transport-cc feedback
 * on the transport-wide sequence number the node writes into each packet it sends.
 */
public final class SubscribeOfferBuilder {

    private static final Set<String> VIDEO_FEEDBACK = Set.of("nack", "nack pli", "ccm fir", "goog-remb");
    private static final String TRANSPORT_CC = "transport-cc";

    private SubscribeOfferBuilder() {
    }

    /**
     * @param sessionId      stable for the connection's life (the o= line's sess-id)
     * @param sessionVersion increases with every offer (RFC 3264 8)
     */
    public static String offer(LocalTransportParams local, long sessionId, long sessionVersion,
                               List<OutgoingTrack> tracks) {
        if (tracks.isEmpty()) {
            throw new IllegalArgumentException("a subscribe offer needs at least one m-line");
        }
        if (tracks.get(0).state() == OutgoingTrack.MLineState.REJECTED) {
            throw new IllegalArgumentException("the first m-line carries the BUNDLE transport and cannot be rejected");
        }
        SdpWriter out = new SdpWriter();
        out.line('v', "0")
                .line('o', "- " + sessionId + " " + sessionVersion + " IN IP4 127.0.0.1")
                .line('s', "-")
                .line('t', "0 0")
                .attribute("ice-lite");
        StringBuilder bundle = new StringBuilder("BUNDLE");
        for (OutgoingTrack track : tracks) {
            if (track.state() != OutgoingTrack.MLineState.REJECTED) {
                bundle.append(' ').append(track.mid());
            }
        }
        out.attribute("group", bundle.toString());
        out.attribute("msid-semantic", " WMS *");
        for (OutgoingTrack track : tracks) {
            writeTrack(out, local, track);
        }
        return out.toString();
    }

    private static void writeSsrc(SdpWriter out, long ssrc, String cname, String msid) {
        out.attribute("ssrc", ssrc + " cname:" + cname);
        out.attribute("ssrc", ssrc + " msid:" + msid);
    }

    /** A removed track's place: no SSRC, stream or extension, only what names the m-line and its kind. */
    private static void writeRejected(SdpWriter out, LocalTransportParams local, OutgoingTrack track) {
        RtpCodec codec = track.codec();
        out.rejectedRtpSection(track.kind(), Integer.toString(codec.payloadType()), local, "actpass");
        out.attribute("mid", track.mid());
        out.attribute("inactive");
        out.attribute("rtcp-mux");
        out.attribute("rtpmap", codec.rtpmap());
    }

    private static void writeTrack(SdpWriter out, LocalTransportParams local, OutgoingTrack track) {
        if (track.state() == OutgoingTrack.MLineState.REJECTED) {
            writeRejected(out, local, track);
            return;
        }
        RtpCodec codec = track.codec();
        boolean rtx = track.rtxPayloadType() >= 0;
        out.bundledRtpSection(track.kind(), codec.payloadType() + (rtx ? " " + track.rtxPayloadType() : ""),
                local, "actpass");
        out.attribute("mid", track.mid());
        out.attribute("extmap", HeaderExtensionUris.SUBSCRIBE_TRANSPORT_CC_ID + " " + HeaderExtensionUris.TRANSPORT_WIDE_CC);
        out.attribute(track.active() ? "sendonly" : "inactive");
        out.attribute("rtcp-mux");
        out.attribute("rtcp-rsize");
        out.attribute("rtpmap", codec.rtpmap());
        if (track.kind().equals("video")) {
            for (String feedback : codec.rtcpFeedback()) {
                if (VIDEO_FEEDBACK.contains(feedback)) {
                    out.attribute("rtcp-fb", codec.payloadType() + " " + feedback);
                }
            }
        }
        // The receiver reports every packet's arrival: the node's bandwidth estimate for it.
        out.attribute("rtcp-fb", codec.payloadType() + " " + TRANSPORT_CC);
        if (!codec.fmtp().isEmpty()) {
            out.attribute("fmtp", codec.payloadType() + " " + codec.fmtp());
        }
        if (rtx) {
            out.attribute("rtpmap", track.rtxPayloadType() + " rtx/" + codec.clockRate());
            out.attribute("fmtp", track.rtxPayloadType() + " apt=" + codec.payloadType());
        }
        if (track.active()) {
            String msid = track.streamId() + " " + track.trackId();
            out.attribute("msid", msid);
            if (rtx) {
                out.attribute("ssrc-group", "FID " + track.ssrc() + " " + track.rtxSsrc());
            }
            writeSsrc(out, track.ssrc(), track.cname(), msid);
            if (rtx) {
                writeSsrc(out, track.rtxSsrc(), track.cname(), msid);
            }
        }
        out.candidates(local);
    }
}
