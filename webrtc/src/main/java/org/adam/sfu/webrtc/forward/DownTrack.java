package org.adam.sfu.webrtc.forward;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.webrtc.rtp.RtpPacket;
import org.adam.sfu.webrtc.transport.MediaCounters;
import org.adam.sfu.webrtc.transport.WebRtcTransport;

/**
 * One receiver of one published stream: the SSRC and payload type the receiver was offered, and
 * which packets it should get. Media event loop only.
 *
 * <p>Sequence numbers pass through unchanged (one layer per track), so a receiver's NACK names
 * the publisher's own sequence numbers. A packet that is not newer than the highest already
 * sent is a retransmission answering some receiver's NACK; it goes only to receivers that asked
 * for it, so nobody is sent (and nobody's SRTP context encrypts) the same packet twice.
 */
public final class DownTrack {

    private static final int NACK_MEMORY = 64;

    private final TrackForwarder source;
    private final WebRtcTransport receiver;
    private final int ssrc;
    private final int payloadType;
    private int highestSeq = -1;
    private final int[] nacked = new int[NACK_MEMORY];
    private int nackedNext;
    private long packetsSent;
    private long bytesSent;

    /** @param payloadType the receiver's payload type for the codec, or -1 to keep the publisher's */
    public DownTrack(TrackForwarder source, WebRtcTransport receiver, int ssrc, int payloadType) {
        this.source = source;
        this.receiver = receiver;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        java.util.Arrays.fill(nacked, -1);
    }

    /** Whether the packet with {@code seq} goes to this receiver; advances the highest sequence. */
    boolean admits(int seq) {
        if (highestSeq < 0) {
            highestSeq = seq;
            return true;
        }
        int ahead = (seq - highestSeq) & 0xFFFF;
        if (ahead != 0 && ahead < 0x8000) {
            highestSeq = seq;
            return true;
        }
        for (int i = 0; i < NACK_MEMORY; i++) {
            if (nacked[i] == seq) {
                nacked[i] = -1;
                return true;
            }
        }
        return false;
    }

    /** The receiver reported {@code seq} missing; a retransmission of it may be sent once. */
    void rememberNack(int seq) {
        nacked[nackedNext] = seq;
        nackedNext = (nackedNext + 1) % NACK_MEMORY;
    }

    /** Rewrites and sends; takes ownership of {@code packet}. */
    void send(ByteBuf packet) {
        RtpPacket.setSsrc(packet, ssrc);
        if (payloadType >= 0 && RtpPacket.payloadType(packet) != payloadType) {
            RtpPacket.setPayloadType(packet, payloadType);
        }
        int length = packet.readableBytes();
        if (receiver.sendRtp(packet)) {
            packetsSent++;
            bytesSent += length;
            MediaCounters counters = receiver.counters();
            counters.rtpForwarded.increment();
            counters.rtpForwardedBytes.add(length);
            if (receiver.isPipe()) {
                counters.pipeBytesOut.add(length);
            }
        }
    }

    public TrackForwarder source() {
        return source;
    }

    public WebRtcTransport receiver() {
        return receiver;
    }

    public int ssrc() {
        return ssrc;
    }

    public long packetsSent() {
        return packetsSent;
    }

    public long bytesSent() {
        return bytesSent;
    }
}
