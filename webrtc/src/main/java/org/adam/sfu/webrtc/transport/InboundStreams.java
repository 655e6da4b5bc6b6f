package org.adam.sfu.webrtc.transport;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.rtp.RtpPacket;

/**
 * The streams a peer sends this transport, each to its {@link TrackForwarder}: by SSRC, or, for
 * streams the SDP named by MID and RID or by payload type only, by what their first packet says
 * (then by its SSRC).
 *
 * <p>Threading: media event loop only.
 */
final class InboundStreams {

    private final IntObjectHashMap<TrackForwarder> bySsrc = new IntObjectHashMap<>();
    /** Streams the SDP named by rid, MID or payload type, not SSRC: bound to an SSRC on their first packet. */
    private final UnsignalledStreams unsignalled = new UnsignalledStreams();
    private final MediaCounters counters;

    InboundStreams(MediaCounters counters) {
        this.counters = counters;
    }

    /**
     * Hands a decrypted RTP packet to its stream's forwarder, or drops and counts it if no stream
     * claims it. Takes ownership of {@code packet}.
     */
    void deliver(ByteBuf packet, long nowNanos) {
        int ssrc = RtpPacket.ssrc(packet);
        TrackForwarder forwarder = bySsrc.get(ssrc);
        if (forwarder == null && !unsignalled.isEmpty()) {
            forwarder = unsignalled.bind(packet, ssrc);
            if (forwarder != null) {
                bySsrc.put(ssrc, forwarder);
            }
        }
        if (forwarder == null) {
            counters.droppedUnknownSsrc.increment();
            packet.release();
            return;
        }
        forwarder.forward(packet, nowNanos);
    }

    void add(int ssrc, TrackForwarder forwarder) {
        bySsrc.put(ssrc, forwarder);
    }

    void remove(int ssrc) {
        bySsrc.remove(ssrc);
    }

    /** Simulcast layer {@code rid} of m-line {@code mid}, learnt from the MID and RID header extensions. */
    void addLayerRoute(int midExtension, int ridExtension, String mid, String rid, TrackForwarder layer) {
        unsignalled.addByMid(midExtension, ridExtension, mid, rid, layer);
    }

    void removeLayerRoute(String mid, String rid) {
        unroute(unsignalled.removeByMid(mid, rid));
    }

    /** The one stream of m-line {@code mid}: by MID header extension when negotiated (> 0), else by payload type. */
    void addUnsignalledRoute(int midExtension, String mid, int payloadType, TrackForwarder forwarder) {
        if (midExtension > 0) {
            unsignalled.addByMid(midExtension, -1, mid, null, forwarder);
        } else {
            unsignalled.addByPayloadType(payloadType, forwarder);
        }
    }

    void removeUnsignalledRoute(String mid, int payloadType) {
        unroute(unsignalled.removeByMid(mid, null));
        unroute(unsignalled.removeByPayloadType(payloadType));
    }

    private void unroute(TrackForwarder forwarder) {
        if (forwarder != null && forwarder.isBound()) {
            bySsrc.remove(forwarder.sourceSsrc());
        }
    }

    /** Asks every stream's sender for a keyframe (its path moved, and what it sent meanwhile is lost). */
    void requestKeyframes(long nowNanos) {
        for (TrackForwarder forwarder : bySsrc.values()) {
            forwarder.requestKeyframe(nowNanos);
        }
    }

    /**
     * Sends keyframe requests that were deferred to the end of their coalescing interval, for
     * streams whose packets have stopped (a paused layer) and so cannot carry them out.
     */
    void flushKeyframeRequests(long nowNanos) {
        if (!bySsrc.isEmpty()) {
            for (TrackForwarder forwarder : bySsrc.values()) {
                forwarder.flushKeyframeRequest(nowNanos);
            }
        }
    }

    boolean isEmpty() {
        return bySsrc.isEmpty();
    }

    /** The forwarders by SSRC, for RTCP feedback and receiver reports. */
    IntObjectHashMap<TrackForwarder> bySsrc() {
        return bySsrc;
    }

    void clear() {
        bySsrc.clear();
    }
}
