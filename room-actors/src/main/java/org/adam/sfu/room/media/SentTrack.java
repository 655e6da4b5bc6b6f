package org.adam.sfu.room.media;

import org.adam.sfu.room.CodecSpec;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.sdp.BundlePayloadTypes;
import org.adam.sfu.webrtc.sdp.OutgoingTrack;
import org.adam.sfu.webrtc.sdp.RtpCodec;

/**
 * A track a subscribe connection sends on one of its m-lines: its down track, its numbers in the
 * connection's bundle (the publisher's are renumbered) and the simulcast layers forwarded and
 * aimed at. Used only on the owning participant's actor thread (the down track's own state is
 * the media event loop's).
 */
final class SentTrack {

    final TrackInfo track;
    final DownTrack downTrack;
    final int payloadType;
    final int rtxPayloadType;
    final int rtxSsrc;
    /** The layer forwarded now and the one the data plane moves to next (simulcast). */
    int forwarding;
    int target;

    SentTrack(TrackInfo track, DownTrack downTrack, BundlePayloadTypes.Assigned payloadTypes, int rtxSsrc,
              int firstLayer) {
        this.track = track;
        this.downTrack = downTrack;
        this.payloadType = payloadTypes.payloadType();
        this.rtxPayloadType = payloadTypes.rtxPayloadType();
        this.rtxSsrc = rtxSsrc;
        this.forwarding = firstLayer;
        this.target = firstLayer;
    }

    /** This track as an offer describes it on the m-line {@code mid}, in {@code stage}. */
    OutgoingTrack outgoing(String mid, MlineTable.Stage stage) {
        return new OutgoingTrack(mid, track.kind(), codecOf(track, payloadType), downTrack.ssrc() & 0xFFFFFFFFL,
                "sfu-" + track.participantId(), track.participantId().value(), track.trackId().value(),
                lineState(stage), rtxPayloadType, rtxSsrc & 0xFFFFFFFFL);
    }

    private static OutgoingTrack.MLineState lineState(MlineTable.Stage stage) {
        return switch (stage) {
            case SENDING -> OutgoingTrack.MLineState.SENDING;
            case INACTIVE -> OutgoingTrack.MLineState.INACTIVE;
            case REJECTING, RECYCLABLE -> OutgoingTrack.MLineState.REJECTED;
        };
    }

    /** The codec of {@code track} under the payload type {@code payloadType}. */
    static RtpCodec codecOf(TrackInfo track, int payloadType) {
        CodecSpec c = track.codec();
        return new RtpCodec(payloadType, c.name(), c.clockRate(), c.channels(), c.fmtp(), c.rtcpFeedback());
    }
}
