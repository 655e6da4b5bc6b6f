package org.adam.sfu.webrtc.forward;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import org.adam.sfu.webrtc.rtcp.RtcpCompound;
import org.adam.sfu.webrtc.rtcp.RtcpFeedback;
import org.adam.sfu.webrtc.rtcp.RtcpPacketType;
import org.adam.sfu.webrtc.transport.MediaCounters;

/**
 * Terminates the RTCP a transport's peer sends (RFC 3550 / 4585 per leg, as an SFU must):
 * a receiver's PLI or FIR becomes one rate-limited keyframe request to the publisher, a
 * receiver's NACK is relayed to the publisher, and a publisher's sender reports feed the
 * receiver reports the node sends back. Media event loop only; one instance per loop.
 */
public final class RtcpFeedbackHandler {

    private static final int MAX_NACKS_PER_PACKET = 256;

    private final RtcpCompound cursor = new RtcpCompound();
    private final int[] lost = new int[MAX_NACKS_PER_PACKET];
    private int lostCount;
    private DownTrack nackTarget;
    private final RtcpFeedback.LostPacketSink collector = this::collectLost;

    /**
     * @param compound decrypted compound RTCP; read only, the caller keeps ownership
     * @param inbound  the transport's published streams by SSRC (for sender reports)
     * @param outbound the transport's forwarded streams by the SSRC its peer knows them by
     */
    public void handle(ByteBuf compound, IntObjectHashMap<TrackForwarder> inbound,
                       IntObjectHashMap<DownTrack> outbound, long nowNanos, MediaCounters counters) {
        cursor.reset(compound);
        while (cursor.next()) {
            switch (cursor.type()) {
                case RtcpPacketType.SR -> {
                    TrackForwarder forwarder = inbound.get(cursor.senderSsrc());
                    if (forwarder != null) {
                        forwarder.statistics().onSenderReport(RtcpFeedback.senderReportNtpMiddle(cursor), nowNanos);
                    }
                }
                case RtcpPacketType.PSFB -> onPayloadFeedback(outbound, nowNanos, counters);
                case RtcpPacketType.RTPFB -> {
                    if (cursor.countOrFormat() == RtcpPacketType.FMT_NACK) {
                        onNack(outbound.get(cursor.mediaSsrc()), counters);
                    }
                }
                default -> {
                    // RR, SDES, BYE, REMB and transport-cc from receivers: nothing to act on yet.
                }
            }
        }
    }

    private void onPayloadFeedback(IntObjectHashMap<DownTrack> outbound, long nowNanos, MediaCounters counters) {
        if (cursor.countOrFormat() == RtcpPacketType.FMT_PLI) {
            requestKeyframe(outbound.get(cursor.mediaSsrc()), nowNanos, counters);
        } else if (cursor.countOrFormat() == RtcpPacketType.FMT_FIR) {
            RtcpFeedback.forEachFirTarget(cursor, ssrc -> requestKeyframe(outbound.get(ssrc), nowNanos, counters));
        }
    }

    private static void requestKeyframe(DownTrack downTrack, long nowNanos, MediaCounters counters) {
        if (downTrack != null) {
            counters.keyframeRequests.increment();
            downTrack.source().requestKeyframe(nowNanos);
        }
    }

    private void onNack(DownTrack downTrack, MediaCounters counters) {
        if (downTrack == null) {
            return;
        }
        lostCount = 0;
        nackTarget = downTrack;
        RtcpFeedback.forEachNacked(cursor, collector);
        if (lostCount == 0) {
            return;
        }
        for (int i = 0; i < lostCount; i++) {
            lost[i] = downTrack.originalSequence(lost[i]);
        }
        TrackForwarder source = downTrack.source();
        source.source().sendRtcp(RtcpMessages.nack(source.source(), source.sourceSsrc(), lost, lostCount));
        counters.nacksRelayed.increment();
    }

    private void collectLost(int seq) {
        if (lostCount < MAX_NACKS_PER_PACKET) {
            lost[lostCount++] = seq;
            nackTarget.rememberNack(seq);
        }
    }
}
