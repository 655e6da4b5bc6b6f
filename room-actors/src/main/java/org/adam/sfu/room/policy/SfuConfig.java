package org.adam.sfu.room.policy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.adam.sfu.room.CborSerializable;

/**
 * A neighbourhood's Social DNA `sfu` block: how its calls are carried. Field names are the
 * Social DNA's (camelCase). {@link #parse} validates every field and names the first bad one.
 *
 * @param mode                   mesh | designated | gateway | cascaded
 * @param designatedPeer         the DID that hosts calls in designated mode (required there)
 * @param sfuPeers               DIDs offering SFU capability (cascaded mode elects among them)
 * @param maxParticipantsPerNode participants per SFU node before overflow (cascaded), 0: node's own
 * @param fallback               what a call does when no SFU is reachable: mesh
 * @param maxMeshParticipants    largest call mesh fallback is tried for without a warning (>= 2)
 * @param iceServers             STUN/TURN servers clients use
 * @param maxParticipants        abuse limit: participants per call, 0: the node's own limit
 * @param maxBitrateKbps         abuse limit: what one publisher may send, 0: no limit
 * @param videoCodecs            the video codecs publishers are asked for, most wanted first (of VP8,
 *                               VP9, H264, AV1); empty: the node's own order (decision 0018)
 */
public record SfuConfig(String mode, String designatedPeer, List<String> sfuPeers, int maxParticipantsPerNode,
                        String fallback, int maxMeshParticipants, List<IceServer> iceServers, int maxParticipants,
                        int maxBitrateKbps, List<String> videoCodecs) implements CborSerializable {

    /** One ICE server, as RTCIceServer. */
    public record IceServer(List<String> urls, String username, String credential) implements CborSerializable {

        /** As RTCIceServer JSON (absent username and credential left out). */
        public void writeTo(ObjectNode out) {
            ArrayNode list = out.putArray("urls");
            urls.forEach(list::add);
            if (username != null) {
                out.put("username", username);
            }
            if (credential != null) {
                out.put("credential", credential);
            }
        }
    }

    public static final Set<String> MODES = Set.of("mesh", "designated", "gateway", "cascaded");
    private static final Set<String> FIELDS = Set.of("mode", "designatedPeer", "sfuPeers", "maxParticipantsPerNode",
            "fallback", "maxMeshParticipants", "iceServers", "maxParticipants", "maxBitrateKbps", "videoCodecs");
    /** The video codecs the node forwards, as `videoCodecs` names them. */
    public static final List<String> VIDEO_CODECS = List.of("VP8", "VP9", "H264", "AV1");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_MAX_MESH = 4;

    public SfuConfig {
        sfuPeers = List.copyOf(sfuPeers);
        iceServers = List.copyOf(iceServers);
        videoCodecs = List.copyOf(videoCodecs);
    }

    /** What a neighbourhood without an `sfu` block gets: this node (or cluster) as its gateway. */
    public static SfuConfig gatewayDefault() {
        return new SfuConfig("gateway", null, List.of(), 0, "mesh", DEFAULT_MAX_MESH, List.of(), 0, 0, List.of());
    }

    /** Parses and validates an `sfu` block given as JSON text. */
    public static SfuConfig parse(String json) throws InvalidConfigException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException("sfu", "not JSON: " + e.getOriginalMessage());
        }
        return from(root);
    }

    /** Validates an `sfu` block already parsed. */
    public static SfuConfig from(JsonNode root) throws InvalidConfigException {
        if (root == null || !root.isObject()) {
            throw new InvalidConfigException("sfu", "must be an object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidConfigException(name, "unknown field (known: " + String.join(", ", sorted(FIELDS)) + ")");
            }
        }
        String mode = text(root, "mode", "mesh");
        if (!MODES.contains(mode)) {
            throw new InvalidConfigException("mode", "must be one of mesh, designated, gateway, cascaded");
        }
        String designatedPeer = text(root, "designatedPeer", null);
        if (designatedPeer != null) {
            requireDid("designatedPeer", designatedPeer);
        } else if (mode.equals("designated")) {
            throw new InvalidConfigException("designatedPeer", "required when mode is designated");
        }
        List<String> sfuPeers = new ArrayList<>();
        JsonNode peers = root.get("sfuPeers");
        if (peers != null && !peers.isNull()) {
            if (!peers.isArray()) {
                throw new InvalidConfigException("sfuPeers", "must be an array of DIDs");
            }
            for (JsonNode peer : peers) {
                if (!peer.isTextual()) {
                    throw new InvalidConfigException("sfuPeers", "must be an array of DIDs");
                }
                requireDid("sfuPeers", peer.asText());
                sfuPeers.add(peer.asText());
            }
        }
        if (mode.equals("cascaded") && sfuPeers.isEmpty()) {
            throw new InvalidConfigException("sfuPeers", "at least one DID is required when mode is cascaded");
        }
        int perNode = integer(root, "maxParticipantsPerNode", 0, 1);
        String fallback = text(root, "fallback", "mesh");
        if (!fallback.equals("mesh")) {
            throw new InvalidConfigException("fallback", "must be mesh");
        }
        int maxMesh = integer(root, "maxMeshParticipants", DEFAULT_MAX_MESH, 2);
        List<IceServer> iceServers = iceServers(root.get("iceServers"));
        int maxParticipants = integer(root, "maxParticipants", 0, 1);
        int maxBitrate = integer(root, "maxBitrateKbps", 0, 30);
        return new SfuConfig(mode, designatedPeer, sfuPeers, perNode, fallback, maxMesh, iceServers, maxParticipants,
                maxBitrate, videoCodecs(root.get("videoCodecs")));
    }

    /** The block as Social DNA JSON (absent optional fields left out). */
    public ObjectNode toJson() {
        ObjectNode out = JSON.createObjectNode();
        out.put("mode", mode);
        if (designatedPeer != null) {
            out.put("designatedPeer", designatedPeer);
        }
        ArrayNode peers = out.putArray("sfuPeers");
        sfuPeers.forEach(peers::add);
        if (maxParticipantsPerNode > 0) {
            out.put("maxParticipantsPerNode", maxParticipantsPerNode);
        }
        out.put("fallback", fallback);
        out.put("maxMeshParticipants", maxMeshParticipants);
        ArrayNode servers = out.putArray("iceServers");
        iceServers.forEach(server -> server.writeTo(servers.addObject()));
        if (maxParticipants > 0) {
            out.put("maxParticipants", maxParticipants);
        }
        if (maxBitrateKbps > 0) {
            out.put("maxBitrateKbps", maxBitrateKbps);
        }
        if (!videoCodecs.isEmpty()) {
            ArrayNode codecs = out.putArray("videoCodecs");
            videoCodecs.forEach(codecs::add);
        }
        return out;
    }

    /** `videoCodecs`: a non-empty list of distinct names from {@link #VIDEO_CODECS} (any case). */
    private static List<String> videoCodecs(JsonNode node) throws InvalidConfigException {
        if (node == null || node.isNull()) {
            return List.of();
        }
        String expected = "must be a non-empty array of distinct codec names from " + String.join(", ", VIDEO_CODECS);
        if (!node.isArray() || node.isEmpty() || node.size() > VIDEO_CODECS.size()) {
            throw new InvalidConfigException("videoCodecs", expected);
        }
        List<String> codecs = new ArrayList<>();
        for (JsonNode codec : node) {
            String name = codec.isTextual() ? codec.asText().toUpperCase(java.util.Locale.ROOT) : "";
            if (!VIDEO_CODECS.contains(name) || codecs.contains(name)) {
                throw new InvalidConfigException("videoCodecs", expected);
            }
            codecs.add(name);
        }
        return codecs;
    }

    private static List<IceServer> iceServers(JsonNode node) throws InvalidConfigException {
        List<IceServer> servers = new ArrayList<>();
        if (node == null || node.isNull()) {
            return servers;
        }
        if (!node.isArray()) {
            throw new InvalidConfigException("iceServers", "must be an array of {urls, username?, credential?}");
        }
        for (JsonNode server : node) {
            JsonNode urls = server.get("urls");
            List<String> list = new ArrayList<>();
            if (urls != null && urls.isTextual()) {
                list.add(urls.asText());
            } else if (urls != null && urls.isArray()) {
                for (JsonNode url : urls) {
                    list.add(url.asText());
                }
            }
            if (list.isEmpty()) {
                throw new InvalidConfigException("iceServers", "each server needs urls");
            }
            for (String url : list) {
                if (!url.startsWith("stun:") && !url.startsWith("turn:") && !url.startsWith("turns:")) {
                    throw new InvalidConfigException("iceServers", "url " + url + " is not stun:, turn: or turns:");
                }
            }
            servers.add(new IceServer(list, optionalText(server, "username"), optionalText(server, "credential")));
        }
        return servers;
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String text(JsonNode root, String field, String absent) throws InvalidConfigException {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isTextual()) {
            throw new InvalidConfigException(field, "must be a string");
        }
        return value.asText();
    }

    private static int integer(JsonNode root, String field, int absent, int min) throws InvalidConfigException {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new InvalidConfigException(field, "must be an integer");
        }
        if (value.asInt() < min) {
            throw new InvalidConfigException(field, "must be at least " + min);
        }
        return value.asInt();
    }

    private static void requireDid(String field, String did) throws InvalidConfigException {
        if (!did.startsWith("did:key:z") || did.length() < 20) {
            throw new InvalidConfigException(field, "not a did:key DID: " + did);
        }
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    /** For JSON-shaped views: the block as a plain map. */
    public Map<String, Object> toMap() {
        return JSON.convertValue(toJson(), Map.class);
    }
}
