package org.adam.sfu.webrtc.forward;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import org.adam.sfu.webrtc.bwe.BandwidthEstimator;
import org.adam.sfu.webrtc.rtcp.RtcpCompound;
import org.adam.sfu.webrtc.rtcp.RtcpFeedback;
import org.adam.sfu.webrtc.rtcp.RtcpPacketType;
import org.adam.sfu.webrtc.rtcp.TransportCcFeedback;
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
    private final RtcpFeedback.LostPacketSink collector = this::collectLost;
    private final boolean answerNacks;
    private BandwidthEstimator estimator;
    private final TransportCcFeedback.PacketSink packetResults =
            (seq, received, arrivalMicros) -> estimator.onPacketResult(seq, received, arrivalMicros);

    /**
     * @param answerNacks whether receivers' NACKs are acted on (from the cache, else by the
     *                    publisher); false only to measure what retransmission is worth
     */
    public RtcpFeedbackHandler(boolean answerNacks) {
        this.answerNacks = answerNacks;
    }

    /**
     * @param compound decrypted compound RTCP; read only, the caller keeps ownership
     * @param inbound  the transport's published streams by SSRC (for sender reports)
     * @param outbound the transport's forwarded streams by the SSRC its peer knows them by
     */
    public void handle(ByteBuf compound, IntObjectHashMap<TrackForwarder> inbound,
                       IntObjectHashMap<DownTrack> outbound, DownlinkAllocator downlink, boolean transportCc,
                       long nowNanos, MediaCounters counters) {
        cursor.reset(compound);
        while (cursor.next()) {
            switch (cursor.type()) {
                case RtcpPacketType.SR -> {
                    TrackForwarder forwarder = inbound.get(cursor.senderSsrc());
                    if (forwarder != null) {
                        forwarder.statistics().onSenderReport(RtcpFeedback.senderReportNtpMiddle(cursor), nowNanos);
                    }
                }
                case RtcpPacketType.PSFB -> {
                    onPayloadFeedback(outbound, nowNanos, counters);
                    if (cursor.countOrFormat() == RtcpPacketType.FMT_APPLICATION && downlink != null && !transportCc) {
                        long remb = RtcpFeedback.rembBitrate(cursor);
                        if (remb > 0) {
                            downlink.estimator().onRemb(remb);
                        }
                    }
                }
                case RtcpPacketType.RTPFB -> {
                    if (cursor.countOrFormat() == RtcpPacketType.FMT_NACK) {
                        onNack(outbound.get(cursor.mediaSsrc()), nowNanos, counters);
                    } else if (cursor.countOrFormat() == RtcpPacketType.FMT_TRANSPORT_CC && downlink != null) {
                        counters.transportCcReports.increment();
                        estimator = downlink.estimator();
                        TransportCcFeedback.forEach(cursor, packetResults);
                    }
                }
                default -> {
                    // RR, SDES, BYE from receivers: nothing to act on.
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

    /**
     * Resends what the cache holds on the receiver's RTX stream; asks the publisher for the rest
     * (packets the node never got), letting their late arrival through to this receiver.
     */
    private void onNack(DownTrack downTrack, long nowNanos, MediaCounters counters) {
        if (downTrack == null) {
            return;
        }
        counters.nacksReceived.increment();
        if (!answerNacks) {
            return;
        }
        lostCount = 0;
        RtcpFeedback.forEachNacked(cursor, collector);
        int missing = 0;
        for (int i = 0; i < lostCount; i++) {
            int outSeq = lost[i];
            if (!downTrack.retransmit(outSeq, nowNanos)) {
                downTrack.rememberNack(outSeq);
                lost[missing++] = downTrack.originalSequence(outSeq);
            }
        }
        if (missing > 0) {
            downTrack.source().relayNack(lost, missing);
            counters.nacksRelayed.increment();
        }
    }

    private void collectLost(int seq) {
        if (lostCount < MAX_NACKS_PER_PACKET) {
            lost[lostCount++] = seq;
        }
    }
}
