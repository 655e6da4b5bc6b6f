package org.adam.sfu.bench.load.stats;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import org.adam.sfu.bench.load.media.LoadStamp;
import org.adam.sfu.webrtc.rtp.RtpPacket;

/**
 * One subscriber's reception, fed every decrypted RTP packet on the transport's event loop:
 * packets and bytes, loss and jitter per SSRC, and one-way latency from the payload's stamp.
 * Retransmissions and padding probes (the RTX payload types of the node's offer) are counted
 * apart and left out of loss, as a receiver's jitter buffer would treat them.
 */
public final class ReceiveStats {

    /** The figures of one window, copied off the event loop. */
    public record Snapshot(long packets, long bytes, long rtxPackets, long expected, long lost, double jitterMillisSum,
                           int streams, LatencyHistogram latency) {
    }

    private static final int MAX_STREAMS = 4096;

    private final int[] clockRates = new int[128];
    private final boolean[] rtx = new boolean[128];
    private final IntObjectHashMap<StreamReception> streams = new IntObjectHashMap<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    private long packets;
    private long bytes;
    private long rtxPackets;
    private long totalPackets;

    /** Learns a payload type of the node's subscribe offer. Event loop only. */
    public void payloadType(int payloadType, int clockRate, boolean retransmission) {
        clockRates[payloadType & 0x7F] = clockRate;
        rtx[payloadType & 0x7F] = retransmission;
    }

    /** A decrypted RTP packet; the buffer stays the caller's. */
    public void onPacket(ByteBuf packet, long receivedNanos) {
        int header = RtpPacket.headerLength(packet);
        if (header < 0) {
            return;
        }
        totalPackets++;
        int payloadType = RtpPacket.payloadType(packet);
        if (rtx[payloadType]) {
            rtxPackets++;
            return;
        }
        packets++;
        bytes += packet.readableBytes();
        int ssrc = RtpPacket.ssrc(packet);
        StreamReception stream = streams.get(ssrc);
        if (stream == null) {
            if (streams.size() >= MAX_STREAMS) {
                return;
            }
            int clockRate = clockRates[payloadType] > 0 ? clockRates[payloadType] : 90000;
            stream = new StreamReception(clockRate);
            streams.put(ssrc, stream);
        }
        stream.onPacket(RtpPacket.sequenceNumber(packet), RtpPacket.timestamp(packet), receivedNanos);
        long sent = LoadStamp.sendNanos(packet, header);
        if (sent > 0) {
            latency.record((receivedNanos - sent) / 1000);
        }
    }

    /** Starts the measured window: counts, loss and latency from now on. Event loop only. */
    public void startWindow() {
        packets = 0;
        bytes = 0;
        rtxPackets = 0;
        latency.clear();
        for (StreamReception stream : streams.values()) {
            stream.startWindow();
        }
    }

    /** Packets of any kind received since the transport connected. Event loop only. */
    public long totalPackets() {
        return totalPackets;
    }

    /** Distinct media SSRCs heard from. Event loop only. */
    public int streamCount() {
        return streams.size();
    }

    /** Event loop only. */
    public Snapshot snapshot() {
        long expected = 0;
        long received = 0;
        long lost = 0;
        double jitter = 0;
        for (StreamReception stream : streams.values()) {
            expected += stream.expected();
            received += stream.received();
            lost += Math.max(0, stream.expected() - stream.received());
            jitter += stream.jitterMillis();
        }
        return new Snapshot(packets, bytes, rtxPackets, expected, lost, jitter, streams.size(), latency.copy());
    }
}
