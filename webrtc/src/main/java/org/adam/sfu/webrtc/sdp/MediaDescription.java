package org.adam.sfu.webrtc.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One `m=` section of a session description (RFC 8866 5.14) with typed views of what WebRTC uses. */
public final class MediaDescription extends SdpSection {

    private final String kind;
    private final int port;
    private final String protocol;
    private final List<String> formats;

    MediaDescription(String kind, int port, String protocol, List<String> formats, List<SdpLine> lines) {
        super(lines);
        this.kind = kind;
        this.port = port;
        this.protocol = protocol;
        this.formats = List.copyOf(formats);
    }

    static MediaDescription parseMediaLine(String value, List<SdpLine> lines) throws SdpParseException {
        String[] parts = value.trim().split(" +");
        if (parts.length < 3) {
            throw new SdpParseException("m= line needs media, port and protocol: " + value);
        }
        int port;
        try {
            String portText = parts[1];
            int slash = portText.indexOf('/');
            port = Integer.parseInt(slash < 0 ? portText : portText.substring(0, slash));
        } catch (NumberFormatException e) {
            throw new SdpParseException("m= line has a bad port: " + value);
        }
        if (port < 0 || port > 65535) {
            throw new SdpParseException("m= line port out of range: " + value);
        }
        List<String> formats = new ArrayList<>(List.of(parts).subList(3, parts.length));
        return new MediaDescription(parts[0], port, parts[2], formats, lines);
    }

    public String kind() {
        return kind;
    }

    public int port() {
        return port;
    }

    public String protocol() {
        return protocol;
    }

    public List<String> formats() {
        return formats;
    }

    /**
     * A rejected or stopped m-line: port zero (RFC 3264 6) without a=bundle-only. With
     * a=bundle-only, port zero means "only if bundled" (RFC 8843 6 and 7.2.1): what max-bundle
     * offers (JSEP, RFC 9429 4.1.1) say for every m-line after the first.
     */
    public boolean isRejected() {
        return port == 0 && !isBundleOnly();
    }

    /** Port zero with a=bundle-only: to be used only inside the BUNDLE group (RFC 8843 6). */
    public boolean isBundleOnly() {
        return port == 0 && hasAttribute("bundle-only");
    }

    /** A data channel section: SCTP over DTLS (RFC 8841), including the older DTLS/SCTP form. */
    public boolean isDataChannel() {
        return kind.equals("application") && protocol.toUpperCase(Locale.ROOT).contains("SCTP");
    }

    public boolean isRtp() {
        return protocol.contains("RTP");
    }

    public String mid() {
        return attribute("mid");
    }

    /** sendrecv, sendonly, recvonly or inactive; sendrecv when none is given (RFC 8866 6.7). */
    public String direction() {
        for (String d : List.of("sendrecv", "sendonly", "recvonly", "inactive")) {
            if (hasAttribute(d)) {
                return d;
            }
        }
        return "sendrecv";
    }

    public boolean sends() {
        String direction = direction();
        return direction.equals("sendrecv") || direction.equals("sendonly");
    }

    /** The codecs of this section in the order of the m= line's formats, with their fmtp and rtcp-fb. */
    public List<RtpCodec> codecs() {
        Map<Integer, String[]> rtpmaps = new LinkedHashMap<>();
        Map<Integer, String> fmtps = new LinkedHashMap<>();
        Map<Integer, List<String>> feedback = new LinkedHashMap<>();
        List<String> wildcardFeedback = new ArrayList<>();
        for (SdpLine line : lines) {
            if (line.type() != 'a') {
                continue;
            }
            String name = line.attributeName();
            String value = line.attributeValue();
            int space = value.indexOf(' ');
            if (space <= 0) {
                continue;
            }
            String head = value.substring(0, space);
            String rest = value.substring(space + 1).trim();
            if (head.equals("*") && name.equals("rtcp-fb")) {
                wildcardFeedback.add(rest);
                continue;
            }
            Integer pt = parsePayloadType(head);
            if (pt == null) {
                continue;
            }
            switch (name) {
                case "rtpmap" -> rtpmaps.put(pt, rest.split("/"));
                case "fmtp" -> fmtps.put(pt, rest);
                case "rtcp-fb" -> feedback.computeIfAbsent(pt, k -> new ArrayList<>()).add(rest);
                default -> {
                }
            }
        }
        List<RtpCodec> codecs = new ArrayList<>();
        for (String format : formats) {
            Integer pt = parsePayloadType(format);
            String[] rtpmap = pt == null ? null : rtpmaps.get(pt);
            if (rtpmap == null || rtpmap.length < 2) {
                continue;
            }
            int clockRate;
            int channels;
            try {
                clockRate = Integer.parseInt(rtpmap[1].trim());
                channels = rtpmap.length > 2 ? Integer.parseInt(rtpmap[2].trim()) : 0;
            } catch (NumberFormatException e) {
                continue;
            }
            List<String> fb = new ArrayList<>(wildcardFeedback);
            fb.addAll(feedback.getOrDefault(pt, List.of()));
            codecs.add(new RtpCodec(pt, rtpmap[0].trim(), clockRate, channels, fmtps.getOrDefault(pt, ""), fb));
        }
        return codecs;
    }

    /**
     * a=extmap lines as id -> URI (RFC 8285 5), direction suffixes removed. Ids 1-14 fit the
     * one-byte header form, 15-255 only the two-byte form (RFC 8285 4.3), which the node reads
     * too; anything else cannot appear in a packet and is left out.
     */
    public Map<Integer, String> headerExtensions() {
        Map<Integer, String> extensions = new LinkedHashMap<>();
        for (String value : attributes("extmap")) {
            String[] parts = value.trim().split(" +");
            if (parts.length < 2) {
                continue;
            }
            String idPart = parts[0];
            int slash = idPart.indexOf('/');
            try {
                int id = Integer.parseInt(slash < 0 ? idPart : idPart.substring(0, slash));
                if (id >= 1 && id <= 255) {
                    extensions.put(id, parts[1]);
                }
            } catch (NumberFormatException ignored) {
                // a malformed extmap is one the node cannot use: ignored (protocol.md)
            }
        }
        return extensions;
    }

    /** SSRCs from a=ssrc lines, in order of first appearance. */
    public List<Long> ssrcs() {
        return new ArrayList<>(ssrcSet());
    }

    /**
     * As {@link #ssrcs}, as a set: an offer may carry tens of thousands of a=ssrc lines, and list
     * look-ups per line would cost seconds of negotiation for one offer.
     */
    private LinkedHashSet<Long> ssrcSet() {
        LinkedHashSet<Long> ssrcs = new LinkedHashSet<>();
        for (String value : attributes("ssrc")) {
            int space = value.indexOf(' ');
            try {
                long ssrc = Long.parseLong(space < 0 ? value : value.substring(0, space));
                if (ssrc >= 0 && ssrc <= 0xFFFFFFFFL) {
                    ssrcs.add(ssrc);
                }
            } catch (NumberFormatException ignored) {
                // not an SSRC the node can route
            }
        }
        return ssrcs;
    }

    /**
     * The SSRCs of the media streams this section sends, as far as a=ssrc says: with an
     * a=ssrc-group:SIM (older clients' simulcast) only its first SSRC, the one layer the node
     * takes; otherwise every a=ssrc less the retransmission halves of FID groups (RFC 5576 4.2,
     * RFC 4588 8.1).
     */
    public List<Long> mediaSsrcs() {
        LinkedHashSet<Long> ssrcs = ssrcSet();
        for (List<Long> simulcast : ssrcGroups("SIM")) {
            if (!simulcast.isEmpty() && ssrcs.contains(simulcast.get(0))) {
                return List.of(simulcast.get(0));
            }
        }
        for (List<Long> group : ssrcGroups("FID")) {
            for (int i = 1; i < group.size(); i++) {
                ssrcs.remove(group.get(i));
            }
        }
        return new ArrayList<>(ssrcs);
    }

    /** a=ssrc-group lines of the given semantics (FID, SIM), each as its list of SSRCs. */
    public List<List<Long>> ssrcGroups(String semantics) {
        List<List<Long>> groups = new ArrayList<>();
        for (String value : attributes("ssrc-group")) {
            String[] parts = value.trim().split(" +");
            if (parts.length < 2 || !parts[0].equals(semantics)) {
                continue;
            }
            List<Long> group = new ArrayList<>();
            try {
                for (int i = 1; i < parts.length; i++) {
                    group.add(Long.parseLong(parts[i]));
                }
                groups.add(group);
            } catch (NumberFormatException ignored) {
                // skip a malformed group
            }
        }
        return groups;
    }

    /** rids declared for sending (RFC 8851), in order. */
    public List<String> sendRids() {
        List<String> rids = new ArrayList<>();
        for (String value : attributes("rid")) {
            String[] parts = value.trim().split(" +");
            if (parts.length >= 2 && parts[1].equals("send")) {
                rids.add(parts[0]);
            }
        }
        return rids;
    }

    /** The a=msid value (`stream track`), or null. */
    public String msid() {
        return attribute("msid");
    }

    static Integer parsePayloadType(String text) {
        try {
            int pt = Integer.parseInt(text.trim());
            return pt >= 0 && pt <= 127 ? pt : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
