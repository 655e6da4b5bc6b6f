package org.adam.sfu.room.media;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.adam.sfu.room.CodecSpec;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.sdp.PublishAnswer;
import org.adam.sfu.webrtc.sdp.PublishNegotiator;
import org.adam.sfu.webrtc.sdp.PublishedMedia;
import org.adam.sfu.webrtc.sdp.RtpCodec;
import org.adam.sfu.webrtc.sdp.SdpNegotiationException;
import org.adam.sfu.webrtc.sdp.SdpParseException;
import org.adam.sfu.webrtc.transport.TransportListener;
import org.adam.sfu.webrtc.transport.WebRtcTransport;

/**
 * A participant's publish peer connection: the client offers its tracks, the node answers,
 * and each accepted m-line becomes a {@link TrackForwarder} on the data plane. Re-offers add
 * and remove tracks. Used only by the owning Participant actor.
 */
public final class PublishConnection {

    /** What one offer changed. */
    public record Result(String answerSdp, List<TrackInfo> added, List<TrackId> removed) {
    }

    private record Published(TrackInfo info, TrackForwarder forwarder, int ssrc) {
    }

    private final ParticipantId owner;
    private final String nodeId;
    private final MediaServices media;
    private final WebRtcTransport transport;
    private final Map<String, Published> byMid = new LinkedHashMap<>();

    public PublishConnection(ParticipantId owner, String nodeId, MediaServices media, TransportListener listener) {
        this.owner = owner;
        this.nodeId = nodeId;
        this.media = media;
        this.transport = media.server().createTransport(owner + "/publish", listener);
    }

    public Result handleOffer(String sdp, Map<String, String> sources) throws NegotiationException {
        PublishAnswer answer;
        try {
            answer = PublishNegotiator.answer(sdp, TransportParams.toSdp(transport.localParameters()));
        } catch (SdpParseException | SdpNegotiationException e) {
            throw new NegotiationException("publish offer: " + e.getMessage());
        }
        transport.setRemoteParameters(TransportParams.fromSdp(answer.remote()));
        List<TrackInfo> added = new ArrayList<>();
        List<TrackId> removed = new ArrayList<>();
        List<String> stillSending = new ArrayList<>();
        for (PublishedMedia m : answer.media()) {
            if (!m.sending()) {
                continue;
            }
            stillSending.add(m.mid());
            if (byMid.containsKey(m.mid()) || m.ssrcs().isEmpty()) {
                // Unchanged, or a stream the node cannot route by SSRC (rid-only simulcast).
                continue;
            }
            Published published = publish(m, sources.get(m.mid()));
            byMid.put(m.mid(), published);
            added.add(published.info());
        }
        byMid.entrySet().removeIf(entry -> {
            if (stillSending.contains(entry.getKey())) {
                return false;
            }
            unpublish(entry.getValue());
            removed.add(entry.getValue().info().trackId());
            return true;
        });
        return new Result(answer.sdp(), added, removed);
    }

    private Published publish(PublishedMedia m, String requestedSource) {
        RtpCodec codec = m.codec();
        TrackId trackId = TrackId.random();
        boolean video = m.kind().equals("video");
        int ssrc = (int) (long) m.ssrcs().get(0);
        TrackForwarder forwarder = new TrackForwarder(trackId.value(), video, codec.clockRate(), transport, ssrc);
        media.server().router().add(forwarder);
        transport.execute(() -> transport.addInbound(ssrc, forwarder));
        String source = requestedSource != null && List.of("camera", "microphone", "screen").contains(requestedSource)
                ? requestedSource : (video ? "camera" : "microphone");
        TrackInfo info = new TrackInfo(trackId, owner, m.kind(), source, m.rids(), false, m.mid(), nodeId,
                new CodecSpec(codec.payloadType(), codec.name(), codec.clockRate(), codec.channels(), codec.fmtp(),
                        codec.rtcpFeedback()));
        return new Published(info, forwarder, ssrc);
    }

    private void unpublish(Published published) {
        media.server().router().remove(published.forwarder());
        transport.execute(() -> transport.removeInbound(published.ssrc()));
    }

    public boolean owns(TrackId trackId) {
        return byMid.values().stream().anyMatch(p -> p.info().trackId().equals(trackId));
    }

    public List<TrackInfo> tracks() {
        return byMid.values().stream().map(Published::info).toList();
    }

    public void close() {
        byMid.values().forEach(this::unpublish);
        byMid.clear();
        transport.close("participant left");
    }
}
