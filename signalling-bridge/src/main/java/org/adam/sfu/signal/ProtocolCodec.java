package org.adam.sfu.signal;

import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.adam.sfu.room.ClientEvent;
import org.adam.sfu.room.ParticipantInfo;
import org.adam.sfu.room.TrackInfo;

/**
 * Reads and writes the JSON frames of protocol.md v1. Reading validates every field a request
 * needs (through {@link RequestFields}) and throws {@link ProtocolException} with the protocol's
 * code; writing never fails. Stateless apart from its ObjectMapper; any thread.
 */
public final class ProtocolCodec {

    public static final int PROTOCOL_VERSION = 1;
    private static final Set<String> QUALITIES = Set.of("auto", "high", "medium", "low");

    private final ObjectMapper mapper = new ObjectMapper();

    public ClientRequest decode(String text) throws ProtocolException {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw ProtocolException.badRequest("malformed JSON: " + e.getOriginalMessage(), null);
        }
        if (root == null || !root.isObject()) {
            throw ProtocolException.badRequest("a frame must be one JSON object", null);
        }
        RequestFields f = new RequestFields(root);
        String id = f.optionalId();
        String type = f.requiredString("type", RequestLimits.TYPE, id);
        return switch (type) {
            case "join" -> new ClientRequest.Join(id, f.requiredNonEmpty("neighbourhood", RequestLimits.NEIGHBOURHOOD, id),
                    f.requiredNonEmpty("room", RequestLimits.ROOM, id), f.requiredString("did", RequestLimits.DID, id),
                    f.optionalString("name", RequestLimits.NAME, id), f.optionalString("proof", RequestLimits.PROOF, id),
                    f.optionalBoolean("autoSubscribe", true, id));
            case "resume" -> new ClientRequest.Resume(id, f.requiredNonEmpty("participantId", RequestLimits.NODE_ID, id),
                    f.optionalString("proof", RequestLimits.PROOF, id),
                    f.optionalString("resumeToken", RequestLimits.RESUME_TOKEN, id),
                    f.optionalInt("lastSeq", Integer.MAX_VALUE, id));
            case "offer" -> new ClientRequest.Offer(id, f.peerConnection(id), f.requiredNonEmpty("sdp", RequestLimits.SDP, id),
                    f.optionalStringMap("sources", id));
            case "answer" -> new ClientRequest.Answer(id, f.peerConnection(id),
                    f.requiredNonEmpty("sdp", RequestLimits.SDP, id));
            case "candidate" -> new ClientRequest.Candidate(id, f.peerConnection(id),
                    f.requiredString("candidate", RequestLimits.CANDIDATE, id),
                    f.optionalString("sdpMid", RequestLimits.SDP_MID, id),
                    f.optionalInt("sdpMLineIndex", RequestLimits.MAX_SDP_MLINE_INDEX, id));
            case "subscribe" -> new ClientRequest.Subscribe(id, f.trackIds(id), true);
            case "unsubscribe" -> new ClientRequest.Subscribe(id, f.trackIds(id), false);
            case "set-quality" -> new ClientRequest.SetQuality(id, f.oneOf("quality", QUALITIES, id),
                    f.optionalString("track", RequestLimits.NODE_ID, id));
            case "mute" -> new ClientRequest.Mute(id, f.requiredNonEmpty("track", RequestLimits.NODE_ID, id),
                    f.requiredBoolean("muted", id));
            // The payload is relayed as it came; the frame limit bounds it.
            case "mesh-signal" -> new ClientRequest.MeshSignal(id, f.requiredNonEmpty("to", RequestLimits.NODE_ID, id),
                    f.required("payload", id));
            case "restart-ice" -> new ClientRequest.RestartIce(id, f.peerConnection(id));
            case "ping" -> new ClientRequest.Ping(id);
            case "leave" -> new ClientRequest.Leave(id);
            default -> throw new ProtocolException(ErrorCodes.UNKNOWN_TYPE, "unknown type '" + type + "'", id);
        };
    }

    public String hello(String node, String nonce) {
        ObjectNode o = frame("hello");
        o.put("protocol", PROTOCOL_VERSION);
        o.put("node", node);
        o.put("nonce", nonce);
        return o.toString();
    }

    public String error(String requestId, String code, String message) {
        return encode(new ClientEvent.Error(requestId, code, message));
    }

    public String encode(ClientEvent event) {
        return node(event).toString();
    }

    private ObjectNode node(ClientEvent event) {
        ObjectNode o;
        if (event instanceof ClientEvent.Sequenced e) {
            o = node(e.event());
            o.put("seq", e.seq());
        } else if (event instanceof ClientEvent.Joined e) {
            o = reply("joined", e.requestId());
            o.put("participantId", e.participantId().value());
            o.put("topology", e.topology());
            o.put("mode", e.mode());
            o.put("node", e.node());
            ArrayNode iceServers = o.putArray("iceServers");
            e.iceServers().forEach(server -> server.writeTo(iceServers.addObject()));
            ArrayNode participants = o.putArray("participants");
            e.participants().forEach(p -> participants.add(participant(p)));
            ArrayNode tracks = o.putArray("tracks");
            e.tracks().forEach(t -> tracks.add(track(t)));
            if (e.resumeToken() != null) {
                o.put("resumeToken", e.resumeToken());
            }
        } else if (event instanceof ClientEvent.Error e) {
            o = reply("error", e.requestId());
            o.put("code", e.code());
            o.put("message", e.message());
            if (e.redirect() != null) {
                o.put("redirect", e.redirect());
            }
        } else if (event instanceof ClientEvent.Answer e) {
            o = reply("answer", e.requestId());
            o.put("pc", e.pc());
            o.put("sdp", e.sdp());
        } else if (event instanceof ClientEvent.Offer e) {
            o = frame("offer");
            o.put("pc", e.pc());
            o.put("sdp", e.sdp());
        } else if (event instanceof ClientEvent.Candidate e) {
            o = frame("candidate");
            o.put("pc", e.pc());
            o.put("candidate", e.candidate());
            o.put("sdpMid", e.sdpMid());
            o.put("sdpMLineIndex", e.sdpMLineIndex());
        } else if (event instanceof ClientEvent.ParticipantJoined e) {
            o = frame("participant-joined");
            o.set("participant", participant(e.participant()));
        } else if (event instanceof ClientEvent.ParticipantLeft e) {
            o = frame("participant-left");
            o.put("participantId", e.participantId().value());
            o.put("reason", e.reason().wireName());
        } else if (event instanceof ClientEvent.TrackPublished e) {
            o = frame("track-published");
            o.set("track", track(e.track()));
        } else if (event instanceof ClientEvent.TrackUnpublished e) {
            o = frame("track-unpublished");
            o.put("trackId", e.trackId().value());
        } else if (event instanceof ClientEvent.TrackMuted e) {
            o = frame("track-muted");
            o.put("trackId", e.trackId().value());
            o.put("muted", e.muted());
        } else if (event instanceof ClientEvent.Pong e) {
            o = reply("pong", e.requestId());
        } else if (event instanceof ClientEvent.Custom e) {
            o = frame(e.type());
            e.fields().forEach((k, v) -> o.set(k, mapper.valueToTree(v)));
        } else {
            throw new IllegalStateException("unhandled event " + event.getClass().getName());
        }
        return o;
    }

    private ObjectNode frame(String type) {
        ObjectNode o = mapper.createObjectNode();
        o.put("type", type);
        return o;
    }

    private ObjectNode reply(String type, String requestId) {
        ObjectNode o = frame(type);
        if (requestId != null) {
            o.put("id", requestId);
        }
        return o;
    }

    private ObjectNode participant(ParticipantInfo p) {
        ObjectNode o = mapper.createObjectNode();
        o.put("participantId", p.participantId().value());
        o.put("did", p.did());
        o.put("name", p.name());
        o.put("node", p.node());
        return o;
    }

    private ObjectNode track(TrackInfo t) {
        ObjectNode o = mapper.createObjectNode();
        o.put("trackId", t.trackId().value());
        o.put("participantId", t.participantId().value());
        o.put("kind", t.kind());
        o.put("source", t.source());
        ArrayNode layers = o.putArray("layers");
        t.layers().forEach(layers::add);
        o.put("muted", t.muted());
        o.put("mid", t.mid());
        return o;
    }
}
