package org.adam.sfu.webrtc.transport;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.rtp.RtpHeaderExtensions;
import org.adam.sfu.webrtc.rtp.RtpPacket;

/**
 * A publishing peer's streams whose SSRCs its SDP did not give, learnt from their first packets as
 * browsers do (JSEP, RFC 9429 5.2.1 and 7; RFC 8843 9.2): a simulcast layer by the MID and RID
 * header extensions (RFC 8852), a single stream by the MID extension alone, or, without MID, by a
 * payload type that only one m-line of the connection uses. Once learnt, the SSRC routes directly.
 * Media event loop only.
 */
final class UnsignalledStreams {

    private final Map<String, TrackForwarder> byMidAndRid = new HashMap<>();
    private final IntObjectHashMap<TrackForwarder> byPayloadType = new IntObjectHashMap<>();
    private final RtpHeaderExtensions.Cursor cursor = new RtpHeaderExtensions.Cursor();
    private int midExtensionId = -1;
    private int ridExtensionId = -1;

    boolean isEmpty() {
        return byMidAndRid.isEmpty() && byPayloadType.isEmpty();
    }

    /** Layer {@code rid} of m-line {@code mid}; {@code rid} null for the m-line's only stream. */
    void addByMid(int midExtension, int ridExtension, String mid, String rid, TrackForwarder forwarder) {
        midExtensionId = midExtension;
        if (ridExtension > 0) {
            ridExtensionId = ridExtension;
        }
        byMidAndRid.put(key(mid, rid), forwarder);
    }

    /** The stream of the only m-line whose packets carry {@code payloadType}. */
    void addByPayloadType(int payloadType, TrackForwarder forwarder) {
        byPayloadType.put(payloadType, forwarder);
    }

    /** @return the forwarder removed (its SSRC, if learnt, is the caller's to unroute), or null */
    TrackForwarder removeByMid(String mid, String rid) {
        return byMidAndRid.remove(key(mid, rid));
    }

    TrackForwarder removeByPayloadType(int payloadType) {
        return byPayloadType.remove(payloadType);
    }

    /**
     * The forwarder a packet from an SSRC not seen before belongs to, bound to that SSRC; null if
     * the packet names none that is still unbound.
     */
    TrackForwarder bind(ByteBuf packet, int ssrc) {
        TrackForwarder forwarder = null;
        String mid = text(packet, midExtensionId);
        if (mid != null) {
            String rid = text(packet, ridExtensionId);
            forwarder = byMidAndRid.get(key(mid, rid));
        } else if (!byPayloadType.isEmpty()) {
            forwarder = byPayloadType.get(RtpPacket.payloadType(packet));
        }
        if (forwarder == null || forwarder.isBound()) {
            return null;
        }
        forwarder.bindSource(ssrc);
        return forwarder;
    }

    private static String key(String mid, String rid) {
        return rid == null ? mid : mid + "/" + rid;
    }

    private String text(ByteBuf packet, int id) {
        if (id <= 0) {
            return null;
        }
        long found = RtpHeaderExtensions.find(packet, id, cursor);
        if (found < 0) {
            return null;
        }
        return packet.toString((int) (found >>> 8), (int) (found & 0xFF), StandardCharsets.US_ASCII);
    }
}
