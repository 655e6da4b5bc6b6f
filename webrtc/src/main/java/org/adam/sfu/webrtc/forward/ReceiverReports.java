package org.adam.sfu.webrtc.forward;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import org.adam.sfu.webrtc.rtcp.RtcpWriter;
import org.adam.sfu.webrtc.transport.WebRtcTransport;

/**
 * The RTCP the node sends each publisher once a second: a receiver report for every stream it
 * receives (so the publisher's loss-based rate control sees the uplink) and a REMB with the most
 * the node wants per publisher (the node's maximum, or the neighbourhood's `maxBitrateKbps` if
 * lower), which bounds the publisher's send-side estimate.
 */
public final class ReceiverReports {

    private final long maxPublisherBitrate;

    public ReceiverReports(long maxPublisherBitrate) {
        this.maxPublisherBitrate = maxPublisherBitrate;
    }

    /** Media event loop only; runs once a second per transport, so it may allocate a little. */
    public void send(WebRtcTransport transport, IntObjectHashMap<TrackForwarder> inbound, long nowNanos) {
        if (inbound.isEmpty()) {
            return;
        }
        List<RtcpWriter.ReportBlock> blocks = new ArrayList<>();
        for (TrackForwarder forwarder : inbound.values()) {
            ReceiveStatistics stats = forwarder.statistics();
            if (!stats.hasPackets() || blocks.size() == 31) {
                continue;
            }
            blocks.add(new RtcpWriter.ReportBlock(forwarder.sourceSsrc(), stats.takeFractionLost(),
                    stats.cumulativeLost(), stats.extendedHighestSequence(), stats.jitter(),
                    stats.lastSrNtpMiddle(), stats.delaySinceLastSr(nowNanos)));
        }
        if (blocks.isEmpty()) {
            return;
        }
        int[] ssrcs = blocks.stream().mapToInt(RtcpWriter.ReportBlock::ssrc).toArray();
        ByteBuf out = transport.allocator().directBuffer(8 + 24 * blocks.size() + 24 + 4 * ssrcs.length + 32);
        RtcpWriter.receiverReport(out, RtcpMessages.NODE_RTCP_SSRC, blocks.toArray(new RtcpWriter.ReportBlock[0]));
        long cap = transport.publisherCapBps();
        RtcpWriter.remb(out, RtcpMessages.NODE_RTCP_SSRC, cap > 0 ? Math.min(cap, maxPublisherBitrate)
                : maxPublisherBitrate, ssrcs);
        transport.sendRtcp(out);
    }
}
