package org.adam.sfu.node;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.adam.sfu.room.ParticipantInfo;
import org.adam.sfu.room.Room;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.room.neighbourhood.SfuAnnounce;

/**
 * The operator's JSON view of the cluster, served on every node: members, nodes' announce
 * figures, rooms with their participants per node and pipe counters, and draining a node. It
 * routes an admin path and writes {@link ClusterAdmin}'s records as JSON; holds no state, and
 * runs on the Netty event loop (routing) and the actor threads (writing the answers).
 */
final class AdminApi {

    /** A status and a JSON body; errors are `{"error": code, "message": text}`. */
    record Response(HttpResponseStatus status, ObjectNode body) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final ClusterAdmin cluster;

    AdminApi(ClusterAdmin cluster) {
        this.cluster = cluster;
    }

    /** @return null when {@code path} is not an admin path */
    CompletionStage<Response> handle(HttpMethod method, String path) {
        if (!path.startsWith("/admin/")) {
            return null;
        }
        String[] parts = path.substring("/admin/".length()).split("/");
        try {
            if (method.equals(HttpMethod.GET) && parts.length == 1 && parts[0].equals("cluster")) {
                return CompletableFuture.completedFuture(ok(membership(cluster.membership())));
            }
            if (method.equals(HttpMethod.GET) && parts.length == 1 && parts[0].equals("nodes")) {
                return nodes();
            }
            if (method.equals(HttpMethod.GET) && parts.length == 1 && parts[0].equals("rooms")) {
                return roomList();
            }
            if (method.equals(HttpMethod.GET) && parts.length == 2 && parts[0].equals("rooms")) {
                return room(parts[1]);
            }
            if (parts.length == 3 && parts[0].equals("nodes") && parts[2].equals("drain")) {
                if (!method.equals(HttpMethod.POST)) {
                    return CompletableFuture.completedFuture(error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                            "method-not-allowed", "drain is a POST"));
                }
                return drain(parts[1]);
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(error(HttpResponseStatus.BAD_REQUEST, "bad-request",
                    e.getMessage()));
        }
        return CompletableFuture.completedFuture(error(HttpResponseStatus.NOT_FOUND, "not-found",
                "no admin resource at " + path));
    }

    private ObjectNode membership(ClusterAdmin.Membership membership) {
        ObjectNode out = json.createObjectNode();
        out.put("self", membership.self());
        out.put("leader", membership.leader());
        ArrayNode members = out.putArray("members");
        for (ClusterAdmin.Member member : membership.members()) {
            ObjectNode m = members.addObject();
            m.put("node", member.node());
            m.put("address", member.address());
            m.put("status", member.status());
            m.put("reachable", member.reachable());
            ArrayNode roles = m.putArray("roles");
            member.roles().forEach(roles::add);
        }
        ArrayNode unreachableNodes = out.putArray("unreachable");
        membership.unreachable().forEach(unreachableNodes::add);
        return out;
    }

    private CompletionStage<Response> nodes() {
        return cluster.nodes().thenApply(announces -> {
            ObjectNode out = json.createObjectNode();
            ArrayNode list = out.putArray("nodes");
            for (SfuAnnounce announce : announces) {
                list.add(json.valueToTree(announce));
            }
            return ok(out);
        });
    }

    private CompletionStage<Response> roomList() {
        return cluster.rooms().thenApply(rooms -> {
            ObjectNode out = json.createObjectNode();
            ArrayNode list = out.putArray("rooms");
            for (ClusterAdmin.RoomSummary room : rooms) {
                ObjectNode r = list.addObject();
                r.put("id", encodeRoomId(room.key()));
                r.put("neighbourhood", room.key().neighbourhood());
                r.put("room", room.key().room());
                ArrayNode n = r.putArray("nodes");
                room.nodes().forEach(n::add);
            }
            return ok(out);
        });
    }

    private CompletionStage<Response> room(String id) {
        RoomKey key = decodeRoomId(id);
        return cluster.room(key).thenApply(detail -> {
            Room.State s = detail.state();
            ObjectNode out = json.createObjectNode();
            out.put("id", id);
            out.put("neighbourhood", key.neighbourhood());
            out.put("room", key.room());
            out.put("host", s.hostNode());
            ObjectNode byNode = out.putObject("participantsByNode");
            ArrayNode participants = out.putArray("participants");
            for (ParticipantInfo p : s.participants()) {
                participants.add(json.valueToTree(p));
                byNode.withArray(p.node()).add(p.participantId().value());
            }
            ArrayNode tracks = out.putArray("tracks");
            for (TrackInfo t : s.tracks()) {
                ObjectNode tr = tracks.addObject();
                tr.put("trackId", t.trackId().value());
                tr.put("participantId", t.participantId().value());
                tr.put("kind", t.kind());
                tr.put("node", t.node());
                tr.put("codec", t.codec().name());
            }
            out.set("subscriptions", json.valueToTree(s.subscriptions()));
            ArrayNode pipeArray = out.putArray("pipes");
            detail.pipes().forEach(p -> pipeArray.add(json.valueToTree(p)));
            out.put("pipesComplete", detail.pipesComplete());
            return ok(out);
        }).exceptionally(failure -> error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                "room did not answer: " + failure.getMessage()));
    }

    private CompletionStage<Response> drain(String nodeId) {
        return cluster.drain(nodeId).thenApply(drained -> {
            if (drained.isEmpty()) {
                return error(HttpResponseStatus.NOT_FOUND, "not-found", "no node " + nodeId + " in the cluster");
            }
            SfuNode.Load load = drained.get();
            ObjectNode out = json.createObjectNode();
            out.put("node", load.nodeId());
            out.put("draining", load.draining());
            out.put("participants", load.participants());
            return new Response(HttpResponseStatus.ACCEPTED, out);
        });
    }

    static String encodeRoomId(RoomKey key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.entityId().getBytes(StandardCharsets.UTF_8));
    }

    static RoomKey decodeRoomId(String id) {
        try {
            return RoomKey.fromEntityId(new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a room id: " + id);
        }
    }

    private Response ok(ObjectNode body) {
        return new Response(HttpResponseStatus.OK, body);
    }

    private Response error(HttpResponseStatus status, String code, String message) {
        return new Response(status, json.createObjectNode().put("error", code).put("message", message));
    }
}
