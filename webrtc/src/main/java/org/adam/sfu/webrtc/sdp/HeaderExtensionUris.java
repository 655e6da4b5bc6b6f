package org.adam.sfu.webrtc.sdp;

import java.util.Set;

/** RTP header extensions (RFC 8285) the node understands on publish connections. */
public final class HeaderExtensionUris {

    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

    /** Accepted in publish answers. Transport-wide CC waits for the node's own estimator. */
    static final Set<String> ACCEPTED_ON_PUBLISH = Set.of(MID, RTP_STREAM_ID, REPAIRED_RTP_STREAM_ID, AUDIO_LEVEL,
            ABS_SEND_TIME);

    private HeaderExtensionUris() {
    }
}
