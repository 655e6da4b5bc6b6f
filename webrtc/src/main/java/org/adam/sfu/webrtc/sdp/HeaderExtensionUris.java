package org.adam.sfu.webrtc.sdp;

import java.util.Set;

/** RTP header extensions (RFC 8285) the node understands on publish connections. */
public final class HeaderExtensionUris {

    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String TRANSPORT_WIDE_CC =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    /**
     * The id the node gives the transport-wide sequence number in subscribe offers: the only
     * extension it writes on forwarded packets, one id for the whole bundle.
     */
    public static final int SUBSCRIBE_TRANSPORT_CC_ID = 3;

    /**
     * Accepted in publish answers. Not transport-wide CC: the node tells publishers what to send
     * with REMB (their uplink is the publisher's own estimator's business).
     */
    static final Set<String> ACCEPTED_ON_PUBLISH = Set.of(MID, RTP_STREAM_ID, REPAIRED_RTP_STREAM_ID, AUDIO_LEVEL,
            ABS_SEND_TIME);

    private HeaderExtensionUris() {
    }
}
