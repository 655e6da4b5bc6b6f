package org.adam.sfu.webrtc.forward;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.webrtc.rtp.RtpPacket;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.adam.sfu.webrtc.speaker.SpeakerDetection;
import org.adam.sfu.webrtc.transport.WebRtcTransport;

/**
 * One published stream on this node and the receivers it fans out to. Per packet: one decrypt
 * already happened in the source transport; here each receiver gets its own pooled copy,
 * rewritten and encrypted by its {@link DownTrack}, and the original is kept in the
 * retransmission cache (video) or released.
 *
 * <p>Video receivers start on a keyframe ({@link DownTrack}); this stream recognises keyframes by
 * its codec once per packet and asks the publisher for them ({@link KeyframeRequestSender}:
 * coalesced, by PLI or FIR). Its other parts: {@link IngressMeter} (what arrives, and its rate),
 * {@link UplinkLossDetector} (uplink loss, NACKed at once), {@link RetransmissionCache} and
 * {@link AudioLevelReader}.
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
    /** The video codec, whose keyframes receivers start on; null for audio (every packet is a start). */
    private final VideoCodec codec;
    private final WebRtcTransport source;
    /** The same connection as {@link #source}, as this class uses it; null when that is. */
    private final PublisherLink publisher;
    /** The publisher's SSRC; for a simulcast layer learned from its first packet (0 until then). */
    private int sourceSsrc;
    private boolean bound;
    private final ReceiveStatistics statistics;
    private final KeyframeRequestSender keyframes;
    private DownTrack[] downTracks = NONE;
    /** Per-receiver admission of the packet being forwarded; always as long as {@link #downTracks}. */
    private boolean[] admittedScratch = new boolean[0];
    /** Video only: audio is not NACKed by browsers, and a lost audio packet is concealed. */
    private final RetransmissionCache retransmissions;
    private boolean closed;
    /** Uplink loss to NACK at once (video only). */
    private final UplinkLossDetector uplinkLoss = new UplinkLossDetector();
    /** Which simulcast layer this stream is, lowest 0 (-1: a single-layer track), for per-layer metrics. */
    private int layerIndex = -1;
    /** Audio: where each packet's RFC 6464 level goes (null: not read), and its reader. */
    private SpeakerDetection.LevelSink levels;
    private AudioLevelReader levelReader;
    private final IngressMeter ingress = new IngressMeter();

    /**
     * @param codec the video codec (keyframes are recognised by it), or null for audio
     * @param source the publisher's transport (or a pipe's); null only in tests and benchmarks
     */
    public TrackForwarder(String trackId, boolean video, VideoCodec codec, int clockRate, WebRtcTransport source,
                          int sourceSsrc) {
        this(trackId, video, codec, clockRate, source, PublisherLink.of(source), sourceSsrc);
    }

    /** As the public constructor, the publisher reached through {@code publisher} (tests give their own). */
    TrackForwarder(String trackId, boolean video, VideoCodec codec, int clockRate, WebRtcTransport source,
                   PublisherLink publisher, int sourceSsrc) {
        this.trackId = trackId;
        this.video = video;
        this.codec = video ? codec : null;
        this.source = source;
        this.publisher = publisher;
        this.keyframes = new KeyframeRequestSender(publisher);
        this.sourceSsrc = sourceSsrc;
        this.bound = sourceSsrc != 0;
        this.statistics = new ReceiveStatistics(clockRate);
        this.retransmissions = video ? new RetransmissionCache() : null;
    }

    /**
     * Forwards one decrypted RTP packet to every receiver that should get it.
     * Takes ownership of {@code packet}: it is passed on or released here.
     */
    public void forward(ByteBuf packet, long nowNanos) {
        int length = packet.readableBytes();
        int seq = RtpPacket.sequenceNumber(packet);
        statistics.onPacket(seq, RtpPacket.timestamp(packet), nowNanos);
        ingress.onPacket(length, layerIndex, publisher);
        if (levels != null) {
            int level = levelReader.level(packet);
            if (level >= 0) {
                levels.onLevel(level, nowNanos / 1_000_000);
            }
        }
        if (retransmissions != null) {
            nackUplinkGap(seq);
        }
        if (keyframes.hasDeferred()) {
            flushKeyframeRequest(nowNanos);
        }
        DownTrack[] targets = downTracks;
        boolean[] admitted = admittedScratch;
        boolean keyframe = codec == null || (targets.length > 0 && codec.isKeyframeStart(packet));
        int last = -1;
        for (int i = 0; i < targets.length; i++) {
            admitted[i] = targets[i].admits(this, packet, seq, keyframe, nowNanos);
            if (admitted[i]) {
                last = i;
            }
        }
        for (int i = 0; i <= last; i++) {
            if (admitted[i]) {
                targets[i].send(packet);
            }
        }
        if (retransmissions != null && !closed) {
            retransmissions.store(packet, seq, nowNanos);
        } else {
            packet.release();
        }
    }

    /** Asks the publisher at once for the packets a jump in its sequence numbers says are lost. */
    private void nackUplinkGap(int seq) {
        int missing = uplinkLoss.onPacket(seq);
        if (missing > 0 && bound && !closed && publisher != null) {
            publisher.sendRtcp(RtcpMessages.nack(publisher.allocator(), sourceSsrc, uplinkLoss.missing(), missing));
            publisher.counters().uplinkNacks.increment();
        }
    }

    /**
     * Asks the publisher for the packets with sequence numbers {@code lost[0..count)}, which the
     * node never had (a receiver NACKed them). Media event loop only.
     */
    void relayNack(int[] lost, int count) {
        publisher.sendRtcp(RtcpMessages.nack(publisher.allocator(), sourceSsrc, lost, count));
    }

    /**
     * Passes the audio level each packet carries in header extension {@code extensionId} to
     * {@code sink}. Media event loop only.
     */
    public void setAudioLevels(int extensionId, SpeakerDetection.LevelSink sink) {
        if (closed) {
            sink.close();
            return;
        }
        this.levelReader = new AudioLevelReader(extensionId);
        this.levels = sink;
    }

    /** The cached packet with publisher sequence {@code seq}, or null; borrowed. Media event loop. */
    ByteBuf cached(int seq, long nowNanos) {
        return retransmissions == null ? null : retransmissions.find(seq, nowNanos);
    }

    /** The stream is gone: releases the cached packets. Media event loop only. */
    public void close() {
        closed = true;
        if (levels != null) {
            levels.close();
            levels = null;
        }
        if (retransmissions != null) {
            retransmissions.clear();
        }
    }

    /**
     * Asks the publisher for a keyframe now, or at the end of the coalescing interval if one was
     * asked for very recently (never dropped). Before the stream's SSRC is known there is nobody
     * to ask: its first keyframe comes unasked.
     */
    public void requestKeyframe(long nowNanos) {
        if (video && bound && !closed) {
            keyframes.request(sourceSsrc, nowNanos);
        }
    }

    /** Sends a deferred keyframe request if its time has come (also called by the transport's tick). */
    public void flushKeyframeRequest(long nowNanos) {
        if (video && bound && !closed) {
            keyframes.flushDue(sourceSsrc, nowNanos);
        }
    }

    /** Keyframe requests sent to the publisher (PLI or FIR), since the stream began. */
    public long keyframeRequestsSent() {
        return keyframes.sent();
    }

    /**
     * Ask for keyframes with FIR instead of PLI: for a publisher that offered `ccm fir` but not
     * `nack pli` (RFC 5104 4.3.1; RFC 4585 6.3.1). Set before the stream is routed.
     */
    public void requestKeyframesByFir(boolean fir) {
        keyframes.useFir(fir);
    }

    /** The video codec, or null for audio. */
    public VideoCodec codec() {
        return codec;
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

    /** This stream is layer {@code index} (lowest 0) of a simulcast track; at most 3 are counted. */
    public void setLayerIndex(int index) {
        this.layerIndex = index < 3 ? index : -1;
    }

    int layerIndex() {
        return layerIndex;
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

    /**
     * What the publisher sends on this stream, bits/s, measured over about a second; while it
     * sends nothing (a paused layer) the last rate it had, or -1 if it never sent.
     */
    public long bitrateBps(long nowNanos) {
        return ingress.bitrateBps(nowNanos);
    }

    public long packetsIn() {
        return ingress.packets();
    }

    public long bytesIn() {
        return ingress.bytes();
    }

}
