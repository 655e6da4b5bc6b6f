package org.adam.sfu.webrtc.transport;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import org.adam.sfu.webrtc.bwe.BandwidthEstimator;
import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.forward.DownlinkAllocator;

/**
 * What a transport sends its peer and how fast: the down tracks (to route the peer's feedback),
 * the transport-wide sequence numbers stamped on sent packets (RFC draft-holmer-rmcat-transport-wide-cc),
 * the bandwidth estimate and its sharing among the tracks, and the cap told to a publishing peer.
 *
 * <p>Threading: media event loop only, but for {@link #publisherCapBps}, written and read anywhere.
 */
final class OutboundStreams {

    /**
     * Receivers start at what a good link carries (every layer), and fall within a window or two
     * of the first overuse: starting low would make every receiver climb for seconds.
     */
    static final long INITIAL_ESTIMATE_BPS = 5_000_000;
    static final long MIN_ESTIMATE_BPS = 100_000;
    static final long MAX_ESTIMATE_BPS = 50_000_000;

    private final IntObjectHashMap<DownTrack> bySsrc = new IntObjectHashMap<>();
    /** A receiving peer's bandwidth estimate and its sharing among the tracks sent to it (null for pipes). */
    private final DownlinkAllocator downlink;
    /** The peer's id for the transport-wide sequence number extension, -1 if not negotiated. */
    private int transportCcExtensionId = -1;
    private int nextTransportSequence;
    private volatile long publisherCapBps;

    /** A pipe's: no estimate of its own (each receiving client has one). */
    static OutboundStreams forPipe() {
        return new OutboundStreams(null);
    }

    static OutboundStreams forClient(MediaCounters counters) {
        return new OutboundStreams(new DownlinkAllocator(
                new BandwidthEstimator(INITIAL_ESTIMATE_BPS, MIN_ESTIMATE_BPS, MAX_ESTIMATE_BPS), counters));
    }

    private OutboundStreams(DownlinkAllocator downlink) {
        this.downlink = downlink;
    }

    /**
     * Writes the next transport-wide sequence number at absolute index {@code offset} of
     * {@code packet} and tells the estimator it is sent, {@code packet}'s size, now.
     */
    void stampTransportSequence(ByteBuf packet, int offset, long nowNanos) {
        int seq = nextTransportSequence++ & 0xFFFF;
        packet.setShort(offset, seq);
        downlink.estimator().onSent(seq, packet.readableBytes(), nowNanos);
    }

    void add(DownTrack downTrack) {
        bySsrc.put(downTrack.ssrc(), downTrack);
    }

    void remove(DownTrack downTrack) {
        bySsrc.remove(downTrack.ssrc(), downTrack);
    }

    /** The peer takes transport-wide sequence numbers under extension {@code id} (-1: it does not; nor a pipe). */
    void useTransportCc(int id) {
        transportCcExtensionId = downlink == null ? -1 : id;
    }

    int transportCcExtensionId() {
        return transportCcExtensionId;
    }

    DownlinkAllocator downlink() {
        return downlink;
    }

    /** Paces probes and reallocates layers by bandwidth, every {@code tickNanos}, while connected. */
    void tick(long nowNanos, long tickNanos, boolean connected) {
        if (downlink != null && connected && !bySsrc.isEmpty()) {
            downlink.tick(bySsrc.values(), nowNanos, tickNanos);
        }
    }

    void capPublisher(long bps) {
        publisherCapBps = bps;
    }

    long publisherCapBps() {
        return publisherCapBps;
    }

    /** The down tracks by SSRC, for the peer's RTCP feedback. */
    IntObjectHashMap<DownTrack> bySsrc() {
        return bySsrc;
    }

    void clear() {
        bySsrc.clear();
    }
}
