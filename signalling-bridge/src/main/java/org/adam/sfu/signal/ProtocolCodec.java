package org.adam.sfu.signal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * needs and throws {@link ProtocolException} with the protocol's code; writing never fails.
 */
public final class ProtocolCodec {

    public static final int PROTOCOL_VERSION = 1;
    private static final Set<String> QUALITIES = Set.of("auto", "high", "medium", "low");
    private static final Set<String> PEER_CONNECTIONS = Set.of("publish", "subscribe");

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
        Fields f = new Fields(root);
        String id = f.optionalId();
        String type = f.requiredString("type", id);
        return switch (type) {
            case "join" -> new ClientRequest.Join(id, f.requiredNonEmpty("neighbourhood", id),
                    f.requiredNonEmpty("room", id), f.requiredString("did", id), f.optionalString("name", id),
                    f.optionalString("proof", id), f.optionalBoolean("autoSubscribe", true, id));
            case "resume" -> new ClientRequest.Resume(id, f.requiredNonEmpty("participantId", id),
                    f.optionalString("proof", id));
            case "offer" -> new ClientRequest.Offer(id, f.peerConnection(id), f.requiredNonEmpty("sdp", id),
                    f.optionalStringMap("sources", id));
            case "answer" -> new ClientRequest.Answer(id, f.peerConnection(id), f.requiredNonEmpty("sdp", id));
            case "candidate" -> new ClientRequest.Candidate(id, f.peerConnection(id),
                    f.requiredString("candidate", id), f.optionalString("sdpMid", id),
                    f.optionalInt("sdpMLineIndex", id));
            case "subscribe" -> new ClientRequest.Subscribe(id, f.requiredStringList("tracks", id), true);
            case "unsubscribe" -> new ClientRequest.Subscribe(id, f.requiredStringList("tracks", id), false);
            case "set-quality" -> new ClientRequest.SetQuality(id, f.oneOf("quality", QUALITIES, id),
                    f.optionalString("track", id));
            case "mute" -> new ClientRequest.Mute(id, f.requiredNonEmpty("track", id),
                    f.requiredBoolean("muted", id));
            case "mesh-signal" -> new ClientRequest.MeshSignal(id, f.requiredNonEmpty("to", id),
                    f.required("payload", id));
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
        ObjectNode o;
        if (event instanceof ClientEvent.Joined e) {
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
        return o.toString();
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

    /** Typed field access that turns every absence or wrong kind into a `bad-request`. */
    private static final class Fields {
        private final JsonNode root;

        Fields(JsonNode root) {
            this.root = root;
        }

        String optionalId() {
            JsonNode id = root.get("id");
            return id != null && id.isTextual() ? id.asText() : null;
        }

        JsonNode required(String name, String id) throws ProtocolException {
            JsonNode value = root.get(name);
            if (value == null || value.isNull()) {
                throw ProtocolException.badRequest("missing field '" + name + "'", id);
            }
            return value;
        }

        String requiredString(String name, String id) throws ProtocolException {
            JsonNode value = required(name, id);
            if (!value.isTextual()) {
                throw ProtocolException.badRequest("field '" + name + "' must be a string", id);
            }
            return value.asText();
        }

        String requiredNonEmpty(String name, String id) throws ProtocolException {
            String value = requiredString(name, id);
            if (value.isEmpty()) {
                throw ProtocolException.badRequest("field '" + name + "' must not be empty", id);
            }
            return value;
        }

        String optionalString(String name, String id) throws ProtocolException {
            JsonNode value = root.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isTextual()) {
                throw ProtocolException.badRequest("field '" + name + "' must be a string", id);
            }
            return value.asText();
        }

        boolean requiredBoolean(String name, String id) throws ProtocolException {
            JsonNode value = required(name, id);
            if (!value.isBoolean()) {
                throw ProtocolException.badRequest("field '" + name + "' must be a boolean", id);
            }
            return value.asBoolean();
        }

        boolean optionalBoolean(String name, boolean fallback, String id) throws ProtocolException {
            JsonNode value = root.get(name);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isBoolean()) {
                throw ProtocolException.badRequest("field '" + name + "' must be a boolean", id);
            }
            return value.asBoolean();
        }

        Integer optionalInt(String name, String id) throws ProtocolException {
            JsonNode value = root.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isInt()) {
                throw ProtocolException.badRequest("field '" + name + "' must be an integer", id);
            }
            return value.asInt();
        }

        List<String> requiredStringList(String name, String id) throws ProtocolException {
            JsonNode value = required(name, id);
            if (!value.isArray()) {
                throw ProtocolException.badRequest("field '" + name + "' must be an array of strings", id);
            }
            List<String> out = new ArrayList<>(value.size());
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw ProtocolException.badRequest("field '" + name + "' must be an array of strings", id);
                }
                out.add(item.asText());
            }
            return out;
        }

        Map<String, String> optionalStringMap(String name, String id) throws ProtocolException {
            JsonNode value = root.get(name);
            if (value == null || value.isNull()) {
                return Map.of();
            }
            if (!value.isObject()) {
                throw ProtocolException.badRequest("field '" + name + "' must be an object of strings", id);
            }
            Map<String, String> out = new LinkedHashMap<>();
            var it = value.fields();
            while (it.hasNext()) {
                var entry = it.next();
                if (!entry.getValue().isTextual()) {
                    throw ProtocolException.badRequest("field '" + name + "' must be an object of strings", id);
                }
                out.put(entry.getKey(), entry.getValue().asText());
            }
            return out;
        }

        String oneOf(String name, Set<String> allowed, String id) throws ProtocolException {
            String value = requiredString(name, id);
            if (!allowed.contains(value)) {
                throw ProtocolException.badRequest("field '" + name + "' must be one of " + allowed, id);
            }
            return value;
        }

        String peerConnection(String id) throws ProtocolException {
            return oneOf("pc", PEER_CONNECTIONS, id);
        }
    }
}
