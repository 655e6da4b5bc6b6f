package org.adam.sfu.bench.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One message from Janus about a handle: a plugin event or synchronous plugin reply
 * ({@code "event"}, {@code "success"} with plugin data) or a core notification
 * ({@code "webrtcup"}, {@code "media"}, {@code "slowlink"}, {@code "hangup"}, {@code "detached"}).
 *
 * @param janus       the message kind, the {@code "janus"} member
 * @param sender      the handle it concerns (0 when Janus does not say)
 * @param transaction the transaction of the request it answers, or null when unsolicited
 * @param data        {@code plugindata.data} (the plugin's own reply), missing for core events
 * @param jsep        the session description it carries, or null
 * @param raw         the whole message
 */
public record JanusEvent(String janus, long sender, String transaction, JsonNode data, Jsep jsep, JsonNode raw) {

    static JanusEvent fromJson(JsonNode message) {
        JsonNode plugindata = message.path("plugindata").path("data");
        return new JanusEvent(message.path("janus").asText(), message.path("sender").asLong(0),
                message.hasNonNull("transaction") ? message.get("transaction").asText() : null,
                plugindata.isMissingNode() ? MissingNode.getInstance() : plugindata,
                Jsep.fromJson(message.get("jsep")), message);
    }

    /** The VideoRoom's kind of reply ({@code "joined"}, {@code "attached"}, {@code "event"} ...). */
    public String videoroom() {
        return data.path("videoroom").asText("");
    }

    /** A plugin-level failure: the plugin answered with {@code error_code} and {@code error}. */
    public boolean isPluginError() {
        return data.has("error_code");
    }
}
