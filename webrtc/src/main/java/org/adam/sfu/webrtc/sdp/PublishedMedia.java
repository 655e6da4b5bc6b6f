package org.adam.sfu.webrtc.sdp;

import java.util.List;
import java.util.Map;

/**
 * One m-line of a publish offer the node accepted.
 *
 * @param ssrcs     media SSRCs announced with a=ssrc (retransmission SSRCs of FID groups excluded)
 * @param rids      simulcast rids the client will send, empty for a single layer
 * @param sending   whether the client sends on it (false once it is made inactive or recvonly)
 */
public record PublishedMedia(String mid, String kind, RtpCodec codec, List<Long> ssrcs, List<String> rids,
                             String msid, Map<Integer, String> headerExtensions, boolean sending) {
}
