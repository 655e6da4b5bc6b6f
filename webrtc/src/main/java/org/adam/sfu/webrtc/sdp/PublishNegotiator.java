package org.adam.sfu.webrtc.sdp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers a client's publish offer: the node receives on every audio and video m-line it has a
 * codec for, as an ICE-lite, DTLS-server (a=setup:passive) endpoint on one BUNDLE transport.
 * Each accepted m-line gets exactly one codec, so what the node forwards is what subscribers
 * are offered. Data channels and m-lines the client does not send on and the node has no codec
 * for are rejected with port 0; what the client sends and the node cannot carry is refused
 * ({@link PublishMediaRules}).
 */
public final class PublishNegotiator {

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
     *                        the node's other codecs follow in its own order
     *                        ({@link PublishMediaRules#VIDEO_PREFERENCE}), so a publisher that offers
     *                        none of them still publishes
     */
    public static PublishAnswer answer(String offerSdp, LocalTransportParams local, List<String> videoPreference)
            throws SdpParseException, SdpNegotiationException {
        List<String> preference = new ArrayList<>(videoPreference);
        PublishMediaRules.VIDEO_PREFERENCE.stream().filter(name -> !preference.contains(name))
                .forEach(preference::add);
        SessionDescription offer = SessionDescription.parse(offerSdp);
        List<String> bundle = offer.bundleMids();
        if (bundle.isEmpty()) {
            throw new SdpNegotiationException("the offer must use BUNDLE (a=group:BUNDLE): the node receives all "
                    + "media on one transport (bundle policy max-bundle or max-compat)");
        }
        List<MediaDescription> media = offer.media();
        List<RtpCodec> chosen = new ArrayList<>();
        List<String> acceptedMids = new ArrayList<>();
        for (int i = 0; i < media.size(); i++) {
            RtpCodec codec = PublishMediaRules.accept(media.get(i), i, bundle, preference);
            chosen.add(codec);
            if (codec != null) {
                if (acceptedMids.contains(media.get(i).mid())) {
                    // RFC 5888 4: a mid names one m-line; the node routes and reports by it.
                    throw new SdpNegotiationException("mid " + media.get(i).mid() + " is on more than one m-line");
                }
                acceptedMids.add(media.get(i).mid());
            }
        }
        if (acceptedMids.isEmpty()) {
            throw new SdpNegotiationException("no m-line with a usable codec (" + PublishMediaRules.USABLE_CODECS + ")");
        }
        PublishMediaRules.requireDistinguishable(media, chosen);
        RemoteTransportParams remote = RemoteTransportParams.read(offer, transportSection(offer, acceptedMids, bundle));
        String setup = remote.weAreDtlsClient() ? "active" : "passive";

        SdpWriter out = new SdpWriter();
        out.line('v', "0")
                .line('o', "- " + Long.toUnsignedString(RANDOM.nextLong() >>> 1) + " 2 IN IP4 127.0.0.1")
                .line('s', "-")
                .line('t', "0 0")
                .attribute("ice-lite");
        // RFC 8843 7.3.3: rejected m-lines leave the group; the first accepted one is the
        // answerer-tagged m-line (7.3.1).
        out.attribute("group", "BUNDLE " + String.join(" ", acceptedMids));
        if (offer.hasAttribute("extmap-allow-mixed")) {
            // RFC 8285 6: the node reads one-byte and two-byte header extensions packet by packet.
            out.attribute("extmap-allow-mixed");
        }
        out.attribute("msid-semantic", " WMS");

        List<PublishedMedia> published = new ArrayList<>();
        for (int i = 0; i < media.size(); i++) {
            MediaDescription m = media.get(i);
            RtpCodec codec = chosen.get(i);
            if (codec == null) {
                writeRejected(out, m, local, setup);
                continue;
            }
            Map<Integer, String> extensions = PublishMediaRules.acceptedExtensions(m);
            writeAccepted(out, m, codec, extensions, setup, local);
            published.add(new PublishedMedia(m.mid(), m.kind(), codec, m.mediaSsrcs(), m.sendRids(), m.msid(),
                    extensions, m.sends()));
        }
        return new PublishAnswer(out.toString(), remote, published);
    }

    /**
     * Where the client's ICE credentials and fingerprint are read. A client that gathers one
     * transport per m-line (aiortc) keeps the one of the first mid in the answer's BUNDLE group,
     * the answerer-tagged m-line (RFC 8843 7.3.1); a former bundle-only m-line may carry no
     * transport attributes, then the offerer-tagged one's (7.2.1) and the session's are used.
     */
    private static MediaDescription transportSection(SessionDescription offer, List<String> acceptedMids,
                                                     List<String> bundle) {
        MediaDescription first = offer.media(acceptedMids.get(0));
        if (first.hasAttribute("ice-ufrag")) {
            return first;
        }
        MediaDescription tagged = offer.media(bundle.get(0));
        return tagged != null && tagged.hasAttribute("ice-ufrag") ? tagged : first;
    }

    /**
     * A rejected m-line has port 0 (RFC 3264 6) and keeps its mid, so the client can match it to
     * its offer (RFC 9429 5.3.1). It also carries the transport attributes: webrtcbin and aiortc
     * check ICE credentials and a=setup on every m-line of an answer, rejected or not, and aiortc
     * rtcp-mux on every audio and video one.
     */
    private static void writeRejected(SdpWriter out, MediaDescription m, LocalTransportParams local, String setup) {
        StringBuilder line = new StringBuilder(m.kind()).append(" 0 ").append(m.protocol());
        for (String format : m.formats()) {
            line.append(' ').append(format);
        }
        out.line('m', line.toString());
        out.line('c', "IN IP4 0.0.0.0");
        if (m.mid() != null) {
            out.attribute("mid", m.mid());
        }
        out.transport(local, setup);
        if (m.isRtp()) {
            out.attribute("inactive");
            out.attribute("rtcp-mux");
        }
    }

    /**
     * An accepted m-line, former bundle-only ones included, is written in full with port 9 and the
     * transport attributes (JSEP answers carry no a=bundle-only): webrtcbin wants a fingerprint
     * on every m-line of an answer that has none at session level.
     */
    private static void writeAccepted(SdpWriter out, MediaDescription m, RtpCodec codec,
                                      Map<Integer, String> extensions, String setup, LocalTransportParams local) {
        out.bundledRtpSection(m.kind(), Integer.toString(codec.payloadType()), local, setup);
        out.attribute("mid", m.mid());
        if (m.hasAttribute("extmap-allow-mixed")) {
            out.attribute("extmap-allow-mixed");
        }
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
