package org.adam.sfu.webrtc.forward;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.webrtc.rtp.RtpPacket;
import org.adam.sfu.webrtc.transport.MediaCounters;
import org.adam.sfu.webrtc.transport.WebRtcTransport;

/**
 * One published stream on this node and the receivers it fans out to. Per packet: one decrypt
 * already happened in the source transport; here each receiver but the last gets a pooled copy
 * and the last gets the original, each rewritten and encrypted by its own {@link DownTrack}.
 *
 * <p>Threading: media event loop only. Control code changes the receiver list through
 * {@link WebRtcTransport#execute}; the array is replaced, never mutated, so a forward in
 * progress always sees a consistent list.
 */
public final class TrackForwarder {

    /** SRTP tag room every copy is allocated with (GCM: 16 bytes, AES-CM/HMAC-SHA1-80: 10). */
    static final int SRTP_TAG_ROOM = 16;
    private static final DownTrack[] NONE = new DownTrack[0];

    private final String trackId;
    private final boolean video;
    private final WebRtcTransport source;
    /** The publisher's SSRC; for a simulcast layer learned from its first packet (0 until then). */
    private int sourceSsrc;
    private boolean bound;
    private final ReceiveStatistics statistics;
    private final KeyframeRequester keyframes = new KeyframeRequester();
    private DownTrack[] downTracks = NONE;
    /** Per-receiver admission of the packet being forwarded; always as long as {@link #downTracks}. */
    private boolean[] admittedScratch = new boolean[0];
    private long packetsIn;
    private long bytesIn;

    public TrackForwarder(String trackId, boolean video, int clockRate, WebRtcTransport source, int sourceSsrc) {
        this.trackId = trackId;
        this.video = video;
        this.source = source;
        this.sourceSsrc = sourceSsrc;
        this.bound = sourceSsrc != 0;
        this.statistics = new ReceiveStatistics(clockRate);
    }

    /**
     * Forwards one decrypted RTP packet to every receiver that should get it.
     * Takes ownership of {@code packet}: it is passed on or released here.
     */
    public void forward(ByteBuf packet, long nowNanos) {
        int length = packet.readableBytes();
        int seq = RtpPacket.sequenceNumber(packet);
        statistics.onPacket(seq, RtpPacket.timestamp(packet), nowNanos);
        packetsIn++;
        bytesIn += length;
        MediaCounters counters = source.counters();
        counters.rtpReceived.increment();
        counters.rtpReceivedBytes.add(length);
        if (source.isPipe()) {
            counters.pipeBytesIn.add(length);
        }
        DownTrack[] targets = downTracks;
        boolean[] admitted = admittedScratch;
        int last = -1;
        for (int i = 0; i < targets.length; i++) {
            admitted[i] = targets[i].admits(this, packet, seq);
            if (admitted[i]) {
                last = i;
            }
        }
        if (last < 0) {
            packet.release();
            return;
        }
        for (int i = 0; i < last; i++) {
            if (admitted[i]) {
                ByteBuf copy = packet.alloc().directBuffer(length + SRTP_TAG_ROOM);
                copy.writeBytes(packet, packet.readerIndex(), length);
                targets[i].send(copy);
            }
        }
        targets[last].send(packet);
    }

    /** Asks the publisher for a keyframe unless one was asked for very recently. */
    public void requestKeyframe(long nowNanos) {
        if (video && bound && keyframes.shouldRequest(nowNanos)) {
            source.sendRtcp(RtcpMessages.pli(source, sourceSsrc));
        }
    }

    /** Media event loop only. */
    public void addDownTrack(DownTrack downTrack) {
        DownTrack[] next = Arrays.copyOf(downTracks, downTracks.length + 1);
        next[next.length - 1] = downTrack;
        downTracks = next;
        admittedScratch = new boolean[next.length];
    }

    /** Media event loop only. */
    public void removeDownTrack(DownTrack downTrack) {
        DownTrack[] current = downTracks;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == downTrack) {
                DownTrack[] next = new DownTrack[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                downTracks = next;
                admittedScratch = new boolean[next.length];
                return;
            }
        }
    }

    public String trackId() {
        return trackId;
    }

    /** Whether the stream came from another node through a pipe (never to be piped back). */
    public boolean isRelayed() {
        return source.isPipe();
    }

    public boolean isVideo() {
        return video;
    }

    public WebRtcTransport source() {
        return source;
    }

    /** A simulcast layer's SSRC became known (its first packet carried the layer's rid). Loop only. */
    public void bindSource(int ssrc) {
        this.sourceSsrc = ssrc;
        this.bound = true;
    }

    public boolean isBound() {
        return bound;
    }

    public int sourceSsrc() {
        return sourceSsrc;
    }

    public ReceiveStatistics statistics() {
        return statistics;
    }

    public int receiverCount() {
        return downTracks.length;
    }

    public long packetsIn() {
        return packetsIn;
    }

    public long bytesIn() {
        return bytesIn;
    }

}
