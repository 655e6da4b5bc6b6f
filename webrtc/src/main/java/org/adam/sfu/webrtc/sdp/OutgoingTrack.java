package org.adam.sfu.webrtc.sdp;

/**
 * One m-line of a subscribe offer: a forwarded track (active) or the slot of a removed one
 * (inactive, port kept, as protocol.md asks).
 *
 * @param streamId       the publisher's participant id (a=msid's first part, so clients map streams to people)
 * @param rtxPayloadType the RTX payload type (RFC 4588, apt = the codec's), or -1 for none
 * @param rtxSsrc        the SSRC retransmissions are sent on (an FID group with {@code ssrc})
 */
public record OutgoingTrack(String mid, String kind, RtpCodec codec, long ssrc, String cname, String streamId,
                            String trackId, boolean active, int rtxPayloadType, long rtxSsrc) {
}
