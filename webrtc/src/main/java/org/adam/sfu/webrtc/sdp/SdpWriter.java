package org.adam.sfu.webrtc.sdp;

/** Appends SDP lines with CRLF endings; the node's offers and answers are written with it. */
final class SdpWriter {

    private final StringBuilder out = new StringBuilder(4096);

    SdpWriter line(char type, String value) {
        out.append(type).append('=').append(value).append("\r\n");
        return this;
    }

    SdpWriter attribute(String name) {
        return line('a', name);
    }

    SdpWriter attribute(String name, String value) {
        return line('a', name + ":" + value);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
