package org.adam.sfu.webrtc.sdp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides for each m-line of a publish offer whether the node receives on it, and with which
 * codec, or rejects it in the answer, or refuses the whole offer. An m-line the client sends on
 * is never answered as accepted unless the node can also route its packets: what it cannot
 * carry is refused with an error that names the m-line, so no media is dropped silently.
 */
final class PublishMediaRules {

    /** Video codecs in the node's order of preference; the first the client offers is taken. */
    static final List<String> VIDEO_PREFERENCE = List.of("VP8", "VP9", "H264", "AV1");
    static final String USABLE_CODECS = "audio: opus/48000; video: VP8, VP9 profile 0 or 2, H264 packetization-mode 1, AV1";

    private PublishMediaRules() {
    }

    /**
     * The codec the node receives {@code m} with, or null to reject it in the answer (port zero).
     *
     * @throws SdpNegotiationException for an m-line the client sends on that the node cannot carry
     */
    static RtpCodec accept(MediaDescription m, int index, List<String> bundle, List<String> videoPreference)
            throws SdpNegotiationException {
        if (m.isRejected()) {
            return null; // the client rejected or stopped it itself
        }
        if (!m.isRtp() || !(m.kind().equals("audio") || m.kind().equals("video"))) {
            return null; // data channels (the node has none) and any other kind of media
        }
        String name = name(m, index);
        if (m.mid() == null || !bundle.contains(m.mid())) {
            if (m.sends()) {
                throw new SdpNegotiationException(name + " is not in the BUNDLE group: the node receives all media "
                        + "on one transport");
            }
            return null;
        }
        RtpCodec codec = chooseCodec(m, videoPreference);
        if (codec == null) {
            if (m.sends()) {
                throw new SdpNegotiationException(name + " offers no usable codec (" + USABLE_CODECS + ")");
            }
            return null; // JSEP (RFC 9429 5.3.1): no supported format, so rejected
        }
        if (!m.hasAttribute("rtcp-mux")) {
            throw new SdpNegotiationException(name + " must use rtcp-mux");
        }
        if (m.sends()) {
            requireRoutable(m, name);
        }
        return codec;
    }

    /**
     * The node tells a publisher's streams apart by SSRC; a stream whose SSRC the SDP does not
     * give it learns from its first packet (RFC 8843 9.2): a rid simulcast layer by the MID and RID
     * header extensions (RFC 8852), a single stream by the MID extension or, without it, by a
     * payload type no other m-line uses ({@link #requireDistinguishable}).
     */
    private static void requireRoutable(MediaDescription m, String name) throws SdpNegotiationException {
        if (!m.mediaSsrcs().isEmpty()) {
            return;
        }
        Map<Integer, String> extensions = acceptedExtensions(m);
        if (m.sendRids().isEmpty()) {
            return; // by MID, or by payload type: checked across the offer
        }
        if (!m.kind().equals("video") || !extensions.containsValue(HeaderExtensionUris.MID)
                || !extensions.containsValue(HeaderExtensionUris.RTP_STREAM_ID)) {
            throw new SdpNegotiationException(name + " sends rid layers without a=ssrc: the node routes those for "
                    + "video only, by the sdes:mid and sdes:rtp-stream-id header extensions");
        }
    }

    /**
     * Every sending m-line without a=ssrc, rids or the MID extension is told apart by its payload
     * type, so no other accepted sending m-line may use the same one.
     *
     * @param chosen the codec accepted for each m-line of {@code media} (null: rejected)
     */
    static void requireDistinguishable(List<MediaDescription> media, List<RtpCodec> chosen)
            throws SdpNegotiationException {
        for (int i = 0; i < media.size(); i++) {
            MediaDescription m = media.get(i);
            if (chosen.get(i) == null || !m.sends() || !m.mediaSsrcs().isEmpty() || !m.sendRids().isEmpty()
                    || acceptedExtensions(m).containsValue(HeaderExtensionUris.MID)) {
                continue;
            }
            for (int j = 0; j < media.size(); j++) {
                if (j != i && chosen.get(j) != null && media.get(j).sends()
                        && chosen.get(j).payloadType() == chosen.get(i).payloadType()) {
                    throw new SdpNegotiationException(name(m, i) + " announces no SSRC (a=ssrc), no rid and no "
                            + "sdes:mid header extension, and shares payload type " + chosen.get(i).payloadType()
                            + " with " + name(media.get(j), j) + ": the node could not tell its packets apart");
                }
            }
        }
    }

    /** How errors name an m-line: by its mid, as the client knows it. */
    static String name(MediaDescription m, int index) {
        return m.mid() != null ? "m-line " + m.mid() + " (" + m.kind() + ")"
                : "m-line #" + index + " (" + m.kind() + ", no a=mid)";
    }

    /** The header extensions the node uses on publish, with the ids the client chose (RFC 8285 6). */
    static Map<Integer, String> acceptedExtensions(MediaDescription m) {
        Map<Integer, String> accepted = new LinkedHashMap<>();
        m.headerExtensions().forEach((id, uri) -> {
            if (HeaderExtensionUris.ACCEPTED_ON_PUBLISH.contains(uri)) {
                accepted.put(id, uri);
            }
        });
        return accepted;
    }

    private static String vp9Profile(RtpCodec vp9) {
        String profile = vp9.fmtpParameter("profile-id");
        return profile == null ? "0" : profile;
    }

    static RtpCodec chooseCodec(MediaDescription m, List<String> videoPreference) {
        List<RtpCodec> codecs = m.codecs();
        if (m.kind().equals("audio")) {
            return codecs.stream().filter(c -> c.is("opus") && c.clockRate() == 48000).findFirst().orElse(null);
        }
        if (!m.kind().equals("video")) {
            return null;
        }
        for (String name : videoPreference) {
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
                    // Profile 0 (8-bit) is what every VP9 decoder takes; profile 2 (10-bit) only when alone.
                    String profile = vp9Profile(codec);
                    if (profile.equals("0") && (best == null || !vp9Profile(best).equals("0"))) {
                        best = codec;
                    } else if (profile.equals("2") && best == null) {
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
}
