package org.adam.sfu.room.media;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.adam.sfu.room.CodecSpec;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.TrackId;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.webrtc.forward.TrackForwarder;
import org.adam.sfu.webrtc.rtp.VideoCodec;
import org.adam.sfu.webrtc.sdp.HeaderExtensionUris;
import org.adam.sfu.webrtc.sdp.PublishAnswer;
import org.adam.sfu.webrtc.sdp.PublishNegotiator;
import org.adam.sfu.webrtc.sdp.PublishedMedia;
import org.adam.sfu.webrtc.sdp.RtpCodec;
import org.adam.sfu.webrtc.sdp.SdpNegotiationException;
import org.adam.sfu.webrtc.sdp.SdpParseException;
import org.adam.sfu.webrtc.transport.MediaServer;
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

    /** One published track: a forwarder per layer (one for single-layer), lowest first. */
    private record Published(TrackInfo info, List<TrackForwarder> layers, int ssrc) {
        TrackForwarder top() {
            return layers.get(layers.size() - 1);
        }
    }

    /**
     * Tracks one participant publishes at once (camera, microphone, screen and its audio need 4).
     * Every track becomes a forwarder here and an m-line in every subscriber's offer, so the
     * offer that could name a couple of thousand is refused.
     */
    public static final int MAX_TRACKS = 16;

    private final ParticipantId owner;
    private final RoomKey room;
    private final String nodeId;
    /** The media worker this room runs on (decision 0017). */
    private final MediaServer worker;
    private final WebRtcTransport transport;
    private final Map<String, Published> byMid = new LinkedHashMap<>();
    /** Video codecs to take from the publisher's offer, most wanted first (empty: the node's order). */
    private final List<String> videoCodecs;
    /** The ICE ufrag of the client's last offer: a new one is an ICE restart (RFC 8839 4.4.1.1.1). */
    private String remoteUfrag;

    public PublishConnection(ParticipantId owner, RoomKey room, String nodeId, MediaServices media,
                             TransportListener listener, List<String> videoCodecs) {
        this.owner = owner;
        this.videoCodecs = List.copyOf(videoCodecs);
        this.room = room;
        this.nodeId = nodeId;
        this.worker = media.server(room);
        this.transport = worker.createTransport(owner + "/publish", listener);
    }

    public Result handleOffer(String sdp, Map<String, String> sources) throws NegotiationException {
        PublishAnswer answer = negotiate(sdp, transport.localParameters());
        if (remoteUfrag != null && !remoteUfrag.equals(answer.remote().iceUfrag())) {
            // The client restarts ICE: the answer carries new credentials of ours too (JSEP 5.3.1);
            // DTLS, SRTP and the tracks stay.
            answer = negotiate(sdp, transport.restartIce());
        }
        long sending = answer.media().stream().filter(PublishedMedia::sending).count();
        if (sending > MAX_TRACKS) {
            throw new NegotiationException("publish offer: it sends " + sending + " tracks; a participant publishes at most "
                    + MAX_TRACKS);
        }
        remoteUfrag = answer.remote().iceUfrag();
        transport.setRemoteParameters(TransportParams.fromSdp(answer.remote()));
        answer.remote().candidates().forEach(transport::addRemoteCandidate);
        List<TrackInfo> added = new ArrayList<>();
        List<TrackId> removed = new ArrayList<>();
        List<String> stillSending = new ArrayList<>();
        for (PublishedMedia m : answer.media()) {
            if (!m.sending()) {
                continue;
            }
            stillSending.add(m.mid());
            if (byMid.containsKey(m.mid())) {
                continue; // unchanged
            }
            Published published = publish(m, sources.get(m.mid()), payloadTypeIsUnique(answer.media(), m));
            if (published == null) {
                continue;
            }
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

    private PublishAnswer negotiate(String sdp, org.adam.sfu.webrtc.sdp.LocalTransportParams local)
            throws NegotiationException {
        try {
            return PublishNegotiator.answer(sdp, local, videoCodecs);
        } catch (SdpParseException | SdpNegotiationException e) {
            throw new NegotiationException("publish offer: " + e.getMessage());
        }
    }

    /** Whether no other sending m-line of the offer uses {@code m}'s payload type (it then names the stream). */
    private static boolean payloadTypeIsUnique(List<PublishedMedia> all, PublishedMedia m) {
        return all.stream().filter(o -> o.sending() && o.codec().payloadType() == m.codec().payloadType()).count() == 1;
    }

    private Published publish(PublishedMedia m, String requestedSource, boolean uniquePayloadType) {
        RtpCodec codec = m.codec();
        TrackId trackId = TrackId.random();
        boolean video = m.kind().equals("video");
        VideoCodec videoCodec = video ? VideoCodec.fromName(codec.name()) : null;
        // PLI is the request every browser takes; FIR only for a publisher that offered nothing else.
        boolean firOnly = codec.rtcpFeedback().contains("ccm fir") && !codec.rtcpFeedback().contains("nack pli");
        Published published;
        if (!m.rids().isEmpty() && video && midAndRidExtensions(m) != null) {
            // Simulcast by rid: the layers' SSRCs are learned from their first packets.
            int[] ids = midAndRidExtensions(m);
            List<TrackForwarder> layers = new java.util.ArrayList<>();
            for (String rid : m.rids()) {
                TrackForwarder layer = new TrackForwarder(trackId.value(), true, videoCodec, codec.clockRate(),
                        transport, 0);
                layer.requestKeyframesByFir(firOnly);
                layer.setLayerIndex(layers.size());
                layers.add(layer);
                transport.execute(() -> transport.addLayerRoute(ids[0], ids[1], m.mid(), rid, layer));
            }
            worker.router().addLayers(trackId.value(), layers);
            published = new Published(null, layers, 0);
        } else {
            int midExtension = extensionId(m, HeaderExtensionUris.MID);
            if (m.ssrcs().isEmpty() && midExtension <= 0 && !uniquePayloadType) {
                return null; // nothing names its packets (the negotiator refuses such an offer)
            }
            // Without a=ssrc the SSRC is learnt from the first packet, by MID or payload type.
            int ssrc = m.ssrcs().isEmpty() ? 0 : (int) (long) m.ssrcs().get(0);
            TrackForwarder forwarder = new TrackForwarder(trackId.value(), video, videoCodec, codec.clockRate(),
                    transport, ssrc);
            forwarder.requestKeyframesByFir(firOnly);
            worker.router().add(forwarder);
            transport.execute(() -> {
                if (ssrc != 0) {
                    transport.addInbound(ssrc, forwarder);
                } else {
                    transport.addUnsignalledRoute(midExtension, m.mid(), codec.payloadType(), forwarder);
                }
            });
            int audioLevel = video ? 0 : extensionId(m, HeaderExtensionUris.AUDIO_LEVEL);
            if (audioLevel > 0) {
                worker.speakers().register(room.toString(), owner.value(),
                        sink -> forwarder.setAudioLevels(audioLevel, sink));
            }
            published = new Published(null, List.of(forwarder), ssrc);
        }
        String source = requestedSource != null && List.of("camera", "microphone", "screen").contains(requestedSource)
                ? requestedSource : (video ? "camera" : "microphone");
        List<String> layers = published.layers().size() > 1 ? m.rids() : List.of();
        TrackInfo info = new TrackInfo(trackId, owner, m.kind(), source, layers, false, m.mid(), nodeId,
                new CodecSpec(codec.payloadType(), codec.name(), codec.clockRate(), channels(codec), codec.fmtp(),
                        codec.rtcpFeedback()), video ? 0 : Math.max(0, extensionId(m, HeaderExtensionUris.AUDIO_LEVEL)));
        return new Published(info, published.layers(), published.ssrc());
    }

    /**
     * The channel count subscribers are offered: Opus is always "opus/48000/2" (RFC 7587 7), even
     * from a publisher that left the count out (GStreamer writes "OPUS/48000" before its caps are set).
     */
    private static int channels(RtpCodec codec) {
        return codec.is("opus") && codec.channels() == 0 ? 2 : codec.channels();
    }

    /** The negotiated id of header extension {@code uri}, or -1. */
    private static int extensionId(PublishedMedia m, String uri) {
        for (var e : m.headerExtensions().entrySet()) {
            if (e.getValue().equals(uri)) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** The negotiated ids of the MID and RID header extensions, or null if either is missing. */
    private static int[] midAndRidExtensions(PublishedMedia m) {
        int mid = -1;
        int rid = -1;
        for (var e : m.headerExtensions().entrySet()) {
            if (e.getValue().equals(HeaderExtensionUris.MID)) {
                mid = e.getKey();
            } else if (e.getValue().equals(HeaderExtensionUris.RTP_STREAM_ID)) {
                rid = e.getKey();
            }
        }
        return mid > 0 && rid > 0 ? new int[] {mid, rid} : null;
    }

    private void unpublish(Published published) {
        worker.router().remove(published.top());
        String mid = published.info().mid();
        List<String> rids = published.info().layers();
        transport.execute(() -> {
            published.layers().forEach(TrackForwarder::close);
            if (rids.isEmpty() && published.ssrc() != 0) {
                transport.removeInbound(published.ssrc());
            } else if (rids.isEmpty()) {
                transport.removeUnsignalledRoute(mid, published.info().codec().payloadType());
            } else {
                rids.forEach(rid -> transport.removeLayerRoute(mid, rid));
            }
        });
    }

    /** Tells the publisher (with REMB) to send at most {@code bps} in all. */
    public void capBitrate(long bps) {
        transport.capPublisher(bps);
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

    /** A candidate the client trickled for this connection. */
    public void addRemoteCandidate(String candidate) {
        transport.addRemoteCandidate(candidate);
    }
}
