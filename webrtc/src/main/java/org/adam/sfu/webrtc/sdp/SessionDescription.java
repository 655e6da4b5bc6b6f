package org.adam.sfu.webrtc.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed SDP (RFC 8866) in Unified Plan form: session-level lines and the media sections in
 * order. Lines are kept verbatim, so {@link #toSdp()} reproduces what was parsed (with CRLF).
 */
public final class SessionDescription extends SdpSection {

    /** Bigger than any offer a browser makes; a bound so a hostile one cannot cost much. */
    public static final int MAX_LENGTH = 256 * 1024;

    private final List<MediaDescription> media;

    public SessionDescription(List<SdpLine> sessionLines, List<MediaDescription> media) {
        super(List.copyOf(sessionLines));
        this.media = List.copyOf(media);
    }

    public static SessionDescription parse(String text) throws SdpParseException {
        if (text == null || text.isEmpty()) {
            throw new SdpParseException("empty SDP");
        }
        if (text.length() > MAX_LENGTH) {
            throw new SdpParseException("SDP longer than " + MAX_LENGTH + " characters");
        }
        List<SdpLine> session = new ArrayList<>();
        List<MediaDescription> media = new ArrayList<>();
        String mediaLine = null;
        List<SdpLine> mediaLines = null;
        boolean first = true;
        for (String raw : text.split("\r?\n")) {
            if (raw.isEmpty()) {
                continue;
            }
            if (raw.length() < 2 || raw.charAt(1) != '=' || !Character.isLetter(raw.charAt(0))) {
                throw new SdpParseException("not an SDP line: '" + abbreviate(raw) + "'");
            }
            SdpLine line = new SdpLine(raw.charAt(0), raw.substring(2));
            if (first && line.type() != 'v') {
                throw new SdpParseException("SDP must start with v=");
            }
            first = false;
            if (line.type() == 'm') {
                if (mediaLine != null) {
                    media.add(MediaDescription.parseMediaLine(mediaLine, mediaLines));
                }
                mediaLine = line.value();
                mediaLines = new ArrayList<>();
            } else if (mediaLines != null) {
                mediaLines.add(line);
            } else {
                session.add(line);
            }
        }
        if (first) {
            throw new SdpParseException("empty SDP");
        }
        if (mediaLine != null) {
            media.add(MediaDescription.parseMediaLine(mediaLine, mediaLines));
        }
        return new SessionDescription(session, media);
    }

    public List<MediaDescription> media() {
        return media;
    }

    /** The m-line with this mid, or null. */
    public MediaDescription media(String mid) {
        for (MediaDescription m : media) {
            if (mid != null && mid.equals(m.mid())) {
                return m;
            }
        }
        return null;
    }

    /**
     * The mids of the first a=group:BUNDLE line, or an empty list. Other groups (a=group:LS lip
     * sync, RFC 5888 7) say nothing about transport and are ignored.
     */
    public List<String> bundleMids() {
        for (String group : attributes("group")) {
            String[] parts = group.trim().split(" +");
            if (parts.length > 0 && parts[0].equals("BUNDLE")) {
                return List.of(parts).subList(1, parts.length);
            }
        }
        return List.of();
    }

    /** A media-level attribute of {@code m}, falling back to the session level (RFC 8866 5). */
    public String attributeOf(MediaDescription m, String name) {
        String value = m.attribute(name);
        return value != null ? value : attribute(name);
    }

    public String toSdp() {
        StringBuilder out = new StringBuilder(4096);
        for (SdpLine line : lines) {
            out.append(line).append("\r\n");
        }
        for (MediaDescription m : media) {
            out.append("m=").append(m.kind()).append(' ').append(m.port()).append(' ').append(m.protocol());
            for (String format : m.formats()) {
                out.append(' ').append(format);
            }
            out.append("\r\n");
            for (SdpLine line : m.lines()) {
                out.append(line).append("\r\n");
            }
        }
        return out.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
