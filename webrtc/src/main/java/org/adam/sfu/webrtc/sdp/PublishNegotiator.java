package org.adam.sfu.webrtc.sdp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers a client's publish offer: the node receives on every audio and video m-line it has a
 * codec for, as an ICE-lite, DTLS-server (a=setup:passive) endpoint on one BUNDLE transport.
 * Each accepted m-line gets exactly one codec, so what the node forwards is what subscribers
 * are offered. Other m-lines (data channels, unknown codecs) are rejected with port 0.
 */
public final class PublishNegotiator {

    /** Video codecs in the node's order of preference; the first the client offers is taken. */
    static final List<String> VIDEO_PREFERENCE = List.of("VP8", "VP9", "H264", "AV1");
    private static final Set<String> PUBLISH_FEEDBACK = Set.of("nack", "nack pli", "ccm fir", "goog-remb");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PublishNegotiator() {
    }

    public static PublishAnswer answer(String offerSdp, LocalTransportParams local)
            throws SdpParseException, SdpNegotiationException {
        return answer(offerSdp, local, List.of());
    }

    /**
     * @param videoPreference video codec names, most wanted first (a neighbourhood's `videoCodecs`);
     *                        the node's other codecs follow in its own order ({@link #VIDEO_PREFERENCE}),
     *                        so a publisher that offers none of them still publishes
     */
    public static PublishAnswer answer(String offerSdp, LocalTransportParams local, List<String> videoPreference)
            throws SdpParseException, SdpNegotiationException {
        List<String> preference = new ArrayList<>(videoPreference);
        VIDEO_PREFERENCE.stream().filter(name -> !preference.contains(name)).forEach(preference::add);
        SessionDescription offer = SessionDescription.parse(offerSdp);
        List<String> bundle = offer.bundleMids();
        if (bundle.isEmpty()) {
            throw new SdpNegotiationException("the offer must use BUNDLE (a=group:BUNDLE)");
        }
        List<MediaDescription> usable = new ArrayList<>();
        List<RtpCodec> chosen = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            RtpCodec codec = m.isRejected() || !m.isRtp() || m.mid() == null || !bundle.contains(m.mid())
                    ? null : chooseCodec(m, preference);
            usable.add(codec == null ? null : m);
            chosen.add(codec);
        }
        MediaDescription first = usable.stream().filter(m -> m != null).findFirst().orElseThrow(
                () -> new SdpNegotiationException("no m-line with a usable codec (audio: opus; video: "
                        + String.join(", ", VIDEO_PREFERENCE) + ")"));
        RemoteTransportParams remote = RemoteTransportParams.read(offer, first);
        for (MediaDescription m : usable) {
            if (m != null && !m.hasAttribute("rtcp-mux")) {
                throw new SdpNegotiationException("m-line " + m.mid() + " must use rtcp-mux");
            }
        }

        SdpWriter out = new SdpWriter();
        out.line('v', "0")
                .line('o', "- " + Long.toUnsignedString(RANDOM.nextLong() >>> 1) + " 2 IN IP4 127.0.0.1")
                .line('s', "-")
                .line('t', "0 0")
                .attribute("ice-lite");
        List<String> acceptedMids = new ArrayList<>();
        for (MediaDescription m : usable) {
            if (m != null) {
                acceptedMids.add(m.mid());
            }
        }
        out.attribute("group", "BUNDLE " + String.join(" ", acceptedMids));
        out.attribute("msid-semantic", " WMS");

        List<PublishedMedia> published = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription offered = offer.media().get(i);
            MediaDescription m = usable.get(i);
            if (m == null) {
                writeRejected(out, offered);
                continue;
            }
            RtpCodec codec = chosen.get(i);
            Map<Integer, String> extensions = acceptedExtensions(m);
            writeAccepted(out, m, codec, extensions, remote, local);
            published.add(new PublishedMedia(m.mid(), m.kind(), codec, mediaSsrcs(m), m.sendRids(), m.msid(),
                    extensions, m.sends()));
        }
        return new PublishAnswer(out.toString(), remote, published);
    }

    private static RtpCodec chooseCodec(MediaDescription m, List<String> preference) {
        List<RtpCodec> codecs = m.codecs();
        if (m.kind().equals("audio")) {
            return codecs.stream().filter(c -> c.is("opus") && c.clockRate() == 48000).findFirst().orElse(null);
        }
        if (!m.kind().equals("video")) {
            return null;
        }
        for (String name : preference) {
            RtpCodec best = null;
            for (RtpCodec codec : codecs) {
                if (!codec.is(name)) {
                    continue;
                }
                if (name.equals("H264")) {
                    // Packetization mode 1 is what every browser decodes; prefer constrained baseline.
                    if (!"1".equals(codec.fmtpParameter("packetization-mode"))) {
                        continue;
                    }
                    if (best == null || "42e01f".equalsIgnoreCase(codec.fmtpParameter("profile-level-id"))) {
                        best = codec;
                    }
                } else if (name.equals("VP9")) {
                    String profile = codec.fmtpParameter("profile-id");
                    if (best == null && (profile == null || profile.equals("0"))) {
                        best = codec;
                    }
                } else if (best == null) {
                    best = codec;
                }
            }
            if (best != null) {
                return best;
            }
        }
        return null;
    }

    private static Map<Integer, String> acceptedExtensions(MediaDescription m) {
        Map<Integer, String> accepted = new LinkedHashMap<>();
        m.headerExtensions().forEach((id, uri) -> {
            if (HeaderExtensionUris.ACCEPTED_ON_PUBLISH.contains(uri)) {
                accepted.put(id, uri);
            }
        });
        return accepted;
    }

    /** a=ssrc SSRCs less the retransmission halves of FID groups (RFC 5576 4.2). */
    private static List<Long> mediaSsrcs(MediaDescription m) {
        List<Long> ssrcs = new ArrayList<>(m.ssrcs());
        for (List<Long> group : m.ssrcGroups("FID")) {
            for (int i = 1; i < group.size(); i++) {
                ssrcs.remove(group.get(i));
            }
        }
        return ssrcs;
    }

    private static void writeRejected(SdpWriter out, MediaDescription m) {
        StringBuilder line = new StringBuilder(m.kind()).append(" 0 ").append(m.protocol());
        for (String format : m.formats()) {
            line.append(' ').append(format);
        }
        out.line('m', line.toString());
        out.line('c', "IN IP4 0.0.0.0");
        if (m.mid() != null) {
            out.attribute("mid", m.mid());
        }
        out.attribute("inactive");
    }

    private static void writeAccepted(SdpWriter out, MediaDescription m, RtpCodec codec,
                                      Map<Integer, String> extensions, RemoteTransportParams remote,
                                      LocalTransportParams local) {
        out.bundledRtpSection(m.kind(), Integer.toString(codec.payloadType()), local, remote.weAreDtlsClient() ? "active" : "passive");
        out.attribute("mid", m.mid());
        extensions.forEach((id, uri) -> out.attribute("extmap", id + " " + uri));
        out.attribute(m.sends() ? "recvonly" : "inactive");
        out.attribute("rtcp-mux");
        if (m.hasAttribute("rtcp-rsize")) {
            out.attribute("rtcp-rsize");
        }
        out.attribute("rtpmap", codec.rtpmap());
        for (String feedback : codec.rtcpFeedback()) {
            if (PUBLISH_FEEDBACK.contains(feedback)) {
                out.attribute("rtcp-fb", codec.payloadType() + " " + feedback);
            }
        }
        if (!codec.fmtp().isEmpty()) {
            out.attribute("fmtp", codec.payloadType() + " " + codec.fmtp());
        }
        List<String> rids = m.sendRids();
        if (!rids.isEmpty()) {
            for (String rid : rids) {
                out.attribute("rid", rid + " recv");
            }
            out.attribute("simulcast", "recv " + String.join(";", rids));
        }
        out.candidates(local);
    }
}
