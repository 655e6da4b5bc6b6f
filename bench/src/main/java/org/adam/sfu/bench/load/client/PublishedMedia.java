package org.adam.sfu.bench.load.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import org.adam.sfu.bench.load.media.MediaSource;
import org.adam.sfu.bench.load.media.OpusSource;
import org.adam.sfu.bench.load.media.RtpStreamWriter;
import org.adam.sfu.bench.load.media.Vp8Source;
import org.adam.sfu.webrtc.rtcp.RtcpCompound;
import org.adam.sfu.webrtc.rtcp.RtcpFeedback;
import org.adam.sfu.webrtc.rtcp.RtcpPacketType;

/**
 * What one participant sends: its synthetic streams (audio first, then the video or its simulcast
 * layers, lowest first), ticked together, a keyframe wherever the node asks for one (PLI, FIR),
 * simulcast layers on and off as the node says, and the counters of what went out.
 *
 * <p>Made on the caller's thread before the publish connection starts; from then on only the
 * publish connection's event loop touches it.
 */
final class PublishedMedia {

    private final List<MediaSource> sources;
    private final IntObjectHashMap<MediaSource> sourcesBySsrc = new IntObjectHashMap<>();
    private final RtcpCompound rtcp = new RtcpCompound();

    PublishedMedia(List<MediaSource> sources) {
        this.sources = List.copyOf(sources);
        this.sources.forEach(source -> sourcesBySsrc.put(source.stream().ssrc(), source));
    }

    /** Audio on {@code audioSsrc}, and video on {@code videoSsrc} or, simulcast, three layers on SSRCs of their own. */
    static PublishedMedia create(boolean simulcast, int audioSsrc, int videoSsrc, Random random) {
        List<MediaSource> sources = new ArrayList<>();
        sources.add(new OpusSource(RtpStreamWriter.create(audioSsrc, ClientSdp.OPUS, ClientSdp.MID_ID,
                ClientSdp.AUDIO_MID, 0, null, ClientSdp.AUDIO_LEVEL_ID, random)));
        if (simulcast) {
            for (int layer = 0; layer < ClientSdp.RIDS.size(); layer++) {
                sources.add(new Vp8Source(RtpStreamWriter.create(random.nextInt(), ClientSdp.VP8, ClientSdp.MID_ID,
                        ClientSdp.VIDEO_MID, ClientSdp.RID_ID, ClientSdp.RIDS.get(layer), 0, random),
                        LoadParticipant.SIMULCAST_BPS[layer]));
            }
        } else {
            sources.add(new Vp8Source(RtpStreamWriter.create(videoSsrc, ClientSdp.VP8, ClientSdp.MID_ID,
                    ClientSdp.VIDEO_MID, 0, null, 0, random), LoadParticipant.VIDEO_BPS));
        }
        return new PublishedMedia(sources);
    }

    /** Queues whatever fell due up to {@code nowNanos} on every stream; the caller flushes. */
    void tick(long nowNanos, ClientTransport out) {
        for (int i = 0; i < sources.size(); i++) {
            sources.get(i).tick(nowNanos, out);
        }
    }

    /** PLI and FIR from the node (RFC 4585 6.3.1, RFC 5104 4.3.1): the next frame is a keyframe. */
    void onRtcp(ByteBuf compound) {
        rtcp.reset(compound);
        while (rtcp.next()) {
            if (rtcp.type() != RtcpPacketType.PSFB) {
                continue;
            }
            if (rtcp.countOrFormat() == RtcpPacketType.FMT_PLI) {
                requestKeyframe(rtcp.mediaSsrc());
            } else if (rtcp.countOrFormat() == RtcpPacketType.FMT_FIR) {
                RtcpFeedback.forEachFirTarget(rtcp, this::requestKeyframe);
            }
        }
    }

    private void requestKeyframe(int ssrc) {
        MediaSource source = sourcesBySsrc.get(ssrc);
        if (source != null) {
            source.requestKeyframe();
        }
    }

    /** The node says which simulcast layers anyone receives (by rid): the others are not encoded. */
    void setLayers(Map<String, Boolean> layers) {
        for (int layer = 0; layer < ClientSdp.RIDS.size(); layer++) {
            Boolean active = layers.get(ClientSdp.RIDS.get(layer));
            if (active != null && sources.get(1 + layer) instanceof Vp8Source video) {
                video.setActive(active);
            }
        }
    }

    /** Packets and bytes sent so far by all the streams: {packets, bytes}. */
    long[] sentCounters() {
        long packets = 0;
        long bytes = 0;
        for (MediaSource source : sources) {
            packets += source.stream().packetsSent();
            bytes += source.stream().bytesSent();
        }
        return new long[] {packets, bytes};
    }

    /** Keyframes sent on all video streams so far. */
    long keyframesSent() {
        return sources.stream().filter(s -> s instanceof Vp8Source).mapToLong(s -> ((Vp8Source) s).keyframes()).sum();
    }
}
