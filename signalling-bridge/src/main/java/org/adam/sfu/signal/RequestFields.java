package org.adam.sfu.signal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed access to one request frame's fields that turns every absence or wrong kind into a
 * `bad-request`, with the limits of {@link RequestLimits}. Lives for one {@link ProtocolCodec#decode}
 * call, on its thread.
 */
final class RequestFields {

    private static final Set<String> PEER_CONNECTIONS = Set.of("publish", "subscribe");

    private final JsonNode root;

    RequestFields(JsonNode root) {
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
