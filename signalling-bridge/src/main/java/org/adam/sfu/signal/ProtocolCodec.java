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

    /** Typed field access that turns every absence or wrong kind into a `bad-request`. */
    private static final class Fields {
        private final JsonNode root;

        Fields(JsonNode root) {
            this.root = root;
        }

        /** The request's id if it is a string short enough to echo; one too long refuses the request. */
        String optionalId() throws ProtocolException {
            JsonNode id = root.get("id");
            if (id == null || !id.isTextual()) {
                return null;
            }
            if (id.textValue().length() > RequestLimits.REQUEST_ID) {
                throw ProtocolException.badRequest("field 'id' is longer than " + RequestLimits.REQUEST_ID
                        + " characters", null);
            }
            return id.textValue();
        }

        JsonNode required(String name, String id) throws ProtocolException {
            JsonNode value = root.get(name);
            if (value == null || value.isNull()) {
                throw ProtocolException.badRequest("missing field '" + name + "'", id);
            }
            return value;
        }

        String requiredString(String name, int maxLength, String id) throws ProtocolException {
            return bounded(name, required(name, id), maxLength, id);
        }

        String requiredNonEmpty(String name, int maxLength, String id) throws ProtocolException {
            String value = requiredString(name, maxLength, id);
            if (value.isEmpty()) {
                throw ProtocolException.badRequest("field '" + name + "' must not be empty", id);
            }
            return value;
        }

        String optionalString(String name, int maxLength, String id) throws ProtocolException {
            JsonNode value = root.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            return bounded(name, value, maxLength, id);
        }

        private static String bounded(String name, JsonNode value, int maxLength, String id)
                throws ProtocolException {
            if (!value.isTextual()) {
                throw ProtocolException.badRequest("field '" + name + "' must be a string", id);
            }
            String text = value.textValue();
            if (text.length() > maxLength) {
                throw ProtocolException.badRequest("field '" + name + "' is longer than " + maxLength
                        + " characters", id);
            }
            return text;
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

        Integer optionalInt(String name, int max, String id) throws ProtocolException {
            JsonNode value = root.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isInt() || value.intValue() < 0 || value.intValue() > max) {
                throw ProtocolException.badRequest("field '" + name + "' must be an integer from 0 to " + max, id);
            }
            return value.intValue();
        }

        /** A `subscribe` / `unsubscribe` list: at most {@link RequestLimits#TRACKS_PER_REQUEST} ids. */
        List<String> trackIds(String id) throws ProtocolException {
            JsonNode value = required("tracks", id);
            if (!value.isArray()) {
                throw ProtocolException.badRequest("field 'tracks' must be an array of strings", id);
            }
            if (value.size() > RequestLimits.TRACKS_PER_REQUEST) {
                throw ProtocolException.badRequest("field 'tracks' lists " + value.size() + " ids, at most "
                        + RequestLimits.TRACKS_PER_REQUEST + " are taken in one request", id);
            }
            List<String> out = new ArrayList<>(value.size());
            for (JsonNode item : value) {
                out.add(bounded("tracks", item, RequestLimits.NODE_ID, id));
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
            if (value.size() > RequestLimits.SOURCES) {
                throw ProtocolException.badRequest("field '" + name + "' has more than " + RequestLimits.SOURCES
                        + " entries", id);
            }
            Map<String, String> out = new LinkedHashMap<>();
            var it = value.fields();
            while (it.hasNext()) {
                var entry = it.next();
                if (entry.getKey().length() > RequestLimits.SDP_MID) {
                    throw ProtocolException.badRequest("a key of field '" + name + "' is longer than "
                            + RequestLimits.SDP_MID + " characters", id);
                }
                out.put(entry.getKey(), bounded(name, entry.getValue(), RequestLimits.SOURCE, id));
            }
            return out;
        }

        String oneOf(String name, Set<String> allowed, String id) throws ProtocolException {
            String value = requiredString(name, RequestLimits.TYPE, id);
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
