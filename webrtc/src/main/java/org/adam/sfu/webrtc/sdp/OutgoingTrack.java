package org.adam.sfu.webrtc.sdp;

/**
 * One m-line of a subscribe offer: a forwarded track, or the place of a removed one.
 *
 * @param streamId       the publisher's participant id (a=msid's first part, so clients map streams to people)
 * @param rtxPayloadType the RTX payload type (RFC 4588, apt = the codec's), or -1 for none
 * @param rtxSsrc        the SSRC retransmissions are sent on (an FID group with {@code ssrc})
 */
public record OutgoingTrack(String mid, String kind, RtpCodec codec, long ssrc, String cname, String streamId,
                            String trackId, MLineState state, int rtxPayloadType, long rtxSsrc) {

    /** How an m-line is offered. */
    public enum MLineState {
        /** `a=sendonly`: the track is forwarded on it. */
        SENDING,
        /**
         * `a=inactive`, port and BUNDLE membership kept: a removed track's m-line that carries the
         * BUNDLE transport (the first), which rejecting would tear down.
         */
        INACTIVE,
        /**
         * Port 0 and out of the BUNDLE group: a removed track's m-line. Once an answer to an offer
         * rejecting it has been applied, a later offer may put a new track in its place, with a
         * new mid (RFC 8829 5.2.2).
         */
        REJECTED
    }

    public boolean active() {
        return state == MLineState.SENDING;
    }
}
