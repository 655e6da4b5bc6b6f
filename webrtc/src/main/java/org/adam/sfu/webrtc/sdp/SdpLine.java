package org.adam.sfu.webrtc.sdp;

/** One `type=value` line, kept verbatim so unknown lines survive a round trip. */
public record SdpLine(char type, String value) {

    /** For an `a=` line: the attribute name (before the first colon). */
    public String attributeName() {
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    /** For an `a=name:value` line: the value, or "" for a flag attribute. */
    public String attributeValue() {
        int colon = value.indexOf(':');
        return colon < 0 ? "" : value.substring(colon + 1);
    }

    @Override
    public String toString() {
        return type + "=" + value;
    }
}
