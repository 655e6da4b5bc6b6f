package org.adam.sfu.bench.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A session description as the Janus API carries it ({@code "jsep"}: type, sdp and an optional
 * trickle flag).
 *
 * @param trickle false tells Janus that the SDP already holds every candidate and that no
 *                trickle will follow; true (what browsers send) that candidates may be trickled
 *                until {@code {"completed": true}}
 */
public record Jsep(String type, String sdp, boolean trickle) {

    public static Jsep offer(String sdp, boolean trickle) {
        return new Jsep("offer", sdp, trickle);
    }

    public static Jsep answer(String sdp, boolean trickle) {
        return new Jsep("answer", sdp, trickle);
    }

    public boolean isOffer() {
        return "offer".equals(type);
    }

    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", type);
        json.put("sdp", sdp);
        if (!trickle) {
            json.put("trickle", false);
        }
        return json;
    }

    /** The {@code jsep} member of a Janus message, or null when it has none. */
    static Jsep fromJson(JsonNode jsep) {
        if (jsep == null || !jsep.hasNonNull("sdp")) {
            return null;
        }
        return new Jsep(jsep.path("type").asText(), jsep.get("sdp").asText(),
                jsep.path("trickle").asBoolean(true));
    }
}
