package org.adam.sfu.webrtc.sdp;

import java.util.List;
import java.util.Locale;

/** One payload format of an m-line: a=rtpmap, its a=fmtp parameters and a=rtcp-fb values. */
public record RtpCodec(int payloadType, String name, int clockRate, int channels, String fmtp,
                       List<String> rtcpFeedback) {

    public RtpCodec {
        rtcpFeedback = List.copyOf(rtcpFeedback);
    }

    public boolean is(String codecName) {
        return name.equalsIgnoreCase(codecName);
    }

    /** The value of one fmtp parameter (`key=value;...`), or null. */
    public String fmtpParameter(String key) {
        for (String part : fmtp.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(key)) {
                return part.substring(eq + 1).trim();
            }
        }
        return null;
    }

    public String rtpmap() {
        return payloadType + " " + name + "/" + clockRate + (channels > 0 ? "/" + channels : "");
    }

    public String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }
}
