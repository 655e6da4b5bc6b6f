package org.adam.sfu.node;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import org.adam.sfu.room.ice.NodeIceServers;
import org.adam.sfu.room.ice.TurnSecret;
import org.adam.sfu.room.policy.SfuConfig.IceServer;

/**
 * Reads the ICE servers a node hands its clients: {@code sfu.ice-servers} (a list of
 * RTCIceServer-shaped objects: urls, username, credential), {@code sfu.turn-secret} and
 * {@code sfu.turn-secret-ttl}; and turns the `--ice-servers` option into that list.
 */
final class IceServersSetting {

    private static final Set<String> FIELDS = Set.of("urls", "username", "credential");

    /** The node's ICE servers, validated; an IllegalArgumentException names what is wrong. */
    static NodeIceServers read(Config c) {
        List<IceServer> servers = new ArrayList<>();
        for (ConfigValue value : c.getList("sfu.ice-servers")) {
            if (!(value.unwrapped() instanceof Map<?, ?> fields)) {
                throw new IllegalArgumentException("ice-servers: each server is an object {urls, username?, credential?}");
            }
            servers.add(server(fields));
        }
        String secret = c.getString("sfu.turn-secret");
        return NodeIceServers.of(servers, secret.isEmpty() ? null : TurnSecret.of(secret),
                c.getDuration("sfu.turn-secret-ttl"), Clock.systemUTC());
    }

    /**
     * `--ice-servers` on the command line: a JSON array of RTCIceServer objects, or plain
     * comma-separated urls (one server, no credentials: STUN, or TURN with `--turn-secret`).
     */
    static List<Object> option(String value) {
        String text = value.trim();
        if (text.isEmpty()) {
            return List.of();
        }
        if (text.startsWith("[")) {
            try {
                return new ObjectMapper().readValue(text, List.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("--ice-servers: not a JSON array: " + e.getOriginalMessage());
            }
        }
        List<String> urls = List.of(text.split(",")).stream().map(String::trim).filter(u -> !u.isEmpty()).toList();
        return List.of(Map.of("urls", urls));
    }

    private static IceServer server(Map<?, ?> fields) {
        for (Object name : fields.keySet()) {
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("ice-servers: unknown field " + name + " (known: urls, username, credential)");
            }
        }
        Object urls = fields.get("urls");
        List<String> list = new ArrayList<>();
        if (urls instanceof String url) {
            list.add(url);
        } else if (urls instanceof List<?> many) {
            for (Object url : many) {
                if (!(url instanceof String text)) {
                    throw new IllegalArgumentException("ice-servers: urls are strings");
                }
                list.add(text);
            }
        }
        return new IceServer(list, text(fields, "username"), text(fields, "credential"));
    }

    private static String text(Map<?, ?> fields, String name) {
        Object value = fields.get(name);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException("ice-servers: " + name + " is a string");
        }
        return (String) value;
    }

    private IceServersSetting() {
    }
}
