package org.adam.sfu.webrtc.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Node-wide data-plane counters. Packets that are dropped are counted by reason so that an
 * operator (and the bad-input tests) can see garbage being refused rather than processed.
 */
public final class MediaCounters {

    public final LongAdder datagramsIn = new LongAdder();
    public final LongAdder stunResponses = new LongAdder();
    public final LongAdder droppedUnknownClass = new LongAdder();
    public final LongAdder droppedStun = new LongAdder();
    public final LongAdder droppedUnknownSender = new LongAdder();
    public final LongAdder droppedSrtp = new LongAdder();
    public final LongAdder droppedSrtcp = new LongAdder();
    public final LongAdder droppedNotConnected = new LongAdder();
    public final LongAdder droppedUnknownSsrc = new LongAdder();
    /** Datagrams of peers that came through, and went out through, the node's own TURN relay. */
    public final LongAdder relayDatagramsIn = new LongAdder();
    public final LongAdder relayDatagramsOut = new LongAdder();
    public final LongAdder rtpForwarded = new LongAdder();
    public final LongAdder rtpForwardedBytes = new LongAdder();
    /** PLI/FIR received from receivers. */
    public final LongAdder keyframeRequests = new LongAdder();
    /** PLI/FIR the node sent publishers: receivers' requests coalesced, and receivers waiting to start. */
    public final LongAdder keyframeRequestsSent = new LongAdder();
    public final LongAdder nacksReceived = new LongAdder();
    public final LongAdder nacksRelayed = new LongAdder();
    /** NACKs the node sent publishers for gaps in what it received from them. */
    public final LongAdder uplinkNacks = new LongAdder();
    /** Packets resent from the retransmission cache on receivers' RTX streams. */
    public final LongAdder retransmissions = new LongAdder();
    /** Padding sent to probe receivers' bandwidth before moving them up a layer. */
    public final LongAdder paddingBytes = new LongAdder();
    public final LongAdder transportCcReports = new LongAdder();
    /** Receivers moved to a lower (down) or higher (up) layer by their bandwidth estimate. */
    public final LongAdder bandwidthDownswitches = new LongAdder();
    public final LongAdder bandwidthUpswitches = new LongAdder();
    public final LongAdder rtpReceived = new LongAdder();
    public final LongAdder rtpReceivedBytes = new LongAdder();
    public final LongAdder pipeBytesIn = new LongAdder();
    public final LongAdder pipeBytesOut = new LongAdder();
    /** ICE-TCP connections open now: a gauge, counted up on accept and down on close. */
    public final LongAdder tcpConnectionsOpen = new LongAdder();
    /** ICE-TCP connections closed as accepted: the node's unauthenticated ones were all taken. */
    public final LongAdder tcpConnectionsRefused = new LongAdder();
    /** ICE-TCP connections closed for sending something other than what they may (garbage, oversized). */
    public final LongAdder tcpConnectionsGarbage = new LongAdder();
    /** ICE-TCP connections closed for sending no valid ICE check within the authentication timeout. */
    public final LongAdder tcpConnectionsUnauthenticated = new LongAdder();
    /** Frames read from ICE-TCP connections (each a packet, as a datagram on the UDP port). */
    public final LongAdder tcpFramesIn = new LongAdder();
    /** Frames not sent because the peer's TCP connection was not taking more. */
    public final LongAdder tcpFramesDroppedBackpressure = new LongAdder();
    /** Simulcast layers, lowest first: bytes received from publishers, and forwarded to receivers. */
    public final LongAdder[] layerBytesIn = adders(3);
    public final LongAdder[] layerBytesOut = adders(3);

    private static LongAdder[] adders(int count) {
        LongAdder[] out = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            out[i] = new LongAdder();
        }
        return out;
    }

    public long dropped() {
        return droppedUnknownClass.sum() + droppedStun.sum() + droppedUnknownSender.sum() + droppedSrtp.sum()
                + droppedSrtcp.sum() + droppedNotConnected.sum() + droppedUnknownSsrc.sum();
    }
}
