package org.adam.sfu.node;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.adam.sfu.pipe.PipeManager;
import org.adam.sfu.pipe.PipeStats;
import org.adam.sfu.room.ParticipantInfo;
import org.adam.sfu.room.Room;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.SfuNode;
import org.adam.sfu.room.ShardedRooms;
import org.adam.sfu.room.TrackInfo;
import org.adam.sfu.room.neighbourhood.SfuAnnounce;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The operator's JSON view of the cluster, served on every node: members, nodes' announce
 * figures, rooms with their participants per node and pipe counters, and draining a node.
 */
final class AdminApi {

    /** A status and a JSON body; errors are `{"error": code, "message": text}`. */
    record Response(HttpResponseStatus status, ObjectNode body) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /**
     * A room being re-created after a crash, or a node that just died, does not answer: say so
     * quickly (leaving that node out) and let the caller retry.
     */
    private static final Duration ROOM_TIMEOUT = Duration.ofSeconds(1);
    /** Each node's answer; longer than a node's own gathering from its pipes (1 s). */
    private static final Duration NODE_TIMEOUT = Duration.ofMillis(1500);

    private final ObjectMapper json = new ObjectMapper();
    private final ActorSystem<?> system;
    private final ActorRef<SfuNode.Command> node;
    private final ShardedRooms rooms;

    AdminApi(ActorSystem<?> system, ActorRef<SfuNode.Command> node, ShardedRooms rooms) {
        this.system = system;
        this.node = node;
        this.rooms = rooms;
    }

    /** @return null when {@code path} is not an admin path */
    CompletionStage<Response> handle(HttpMethod method, String path) {
        if (!path.startsWith("/admin/")) {
            return null;
        }
        String[] parts = path.substring("/admin/".length()).split("/");
        try {
            if (method.equals(HttpMethod.GET) && parts.length == 1 && parts[0].equals("cluster")) {
                return CompletableFuture.completedFuture(ok(cluster()));
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

    private ObjectNode cluster() {
        Cluster cluster = Cluster.get(system);
        var state = cluster.state();
        ObjectNode out = json.createObjectNode();
        out.put("self", nodeIdOf(cluster.selfMember()));
        out.put("leader", state.getLeader() == null ? null : addressNode(state.getLeader()));
        ArrayNode members = out.putArray("members");
        Set<Member> unreachable = state.getUnreachable();
        for (Member member : state.getMembers()) {
            ObjectNode m = members.addObject();
            m.put("node", nodeIdOf(member));
            m.put("address", member.address().toString());
            m.put("status", member.status().toString());
            m.put("reachable", !unreachable.contains(member));
            ArrayNode roles = m.putArray("roles");
            member.getRoles().forEach(roles::add);
        }
        ArrayNode unreachableNodes = out.putArray("unreachable");
        unreachable.forEach(member -> unreachableNodes.add(nodeIdOf(member)));
        return out;
    }

    private String addressNode(Address address) {
        for (Member member : Cluster.get(system).state().getMembers()) {
            if (member.address().equals(address)) {
                return nodeIdOf(member);
            }
        }
        return address.toString();
    }

    private static String nodeIdOf(Member member) {
        return member.getRoles().stream().filter(r -> r.startsWith("id=")).map(r -> r.substring(3)).findFirst()
                .orElse(member.address().toString());
    }

    private CompletionStage<Response> nodes() {
        CompletionStage<SfuNode.Nodes> nodes = AskPattern.ask(node, SfuNode.GetNodes::new, TIMEOUT, system.scheduler());
        return nodes.thenApply(n -> {
            ObjectNode out = json.createObjectNode();
            ArrayNode list = out.putArray("nodes");
            for (SfuAnnounce announce : n.nodes()) {
                list.add(json.valueToTree(announce));
            }
            return ok(out);
        });
    }

    private CompletionStage<Response> roomList() {
        return gatherAll(SfuNode.SERVICE_KEY, SfuNode.GetLoad::new).thenApply(loads -> {
            ObjectNode out = json.createObjectNode();
            ArrayNode list = out.putArray("rooms");
            java.util.Map<String, List<String>> nodesByRoom = new java.util.TreeMap<>();
            for (SfuNode.Load load : loads) {
                load.rooms().forEach(r -> nodesByRoom.computeIfAbsent(r, k -> new ArrayList<>()).add(load.nodeId()));
            }
            nodesByRoom.forEach((room, nodes) -> {
                ObjectNode r = list.addObject();
                int cut = room.lastIndexOf('/');
                RoomKey key = new RoomKey(room.substring(0, cut), room.substring(cut + 1));
                r.put("id", encodeRoomId(key));
                r.put("neighbourhood", key.neighbourhood());
                r.put("room", key.room());
                ArrayNode n = r.putArray("nodes");
                nodes.stream().sorted().forEach(n::add);
            });
            return ok(out);
        });
    }

    private CompletionStage<Response> room(String id) {
        RoomKey key = decodeRoomId(id);
        CompletionStage<Room.State> state = AskPattern.ask(rooms.room(key), Room.GetState::new, ROOM_TIMEOUT,
                system.scheduler());
        CompletionStage<Gathered<PipeManager.PipeList>> pipes = gather(PipeManager.SERVICE_KEY,
                replyTo -> new PipeManager.GetPipes(key, replyTo));
        return state.thenCombine(pipes, (s, gathered) -> {
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
            gathered.answers().forEach(list -> list.pipes().forEach(p -> pipeArray.add(json.valueToTree(p))));
            boolean everyPipe = gathered.unanswered() == 0
                    && gathered.answers().stream().allMatch(list -> list.unanswered() == 0);
            out.put("pipesComplete", everyPipe);
            return ok(out);
        }).exceptionally(failure -> error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                "room did not answer: " + failure.getMessage()));
    }

    private CompletionStage<Response> drain(String nodeId) {
        return gatherAll(SfuNode.SERVICE_KEY, SfuNode.GetLoad::new).thenCompose(loads -> {
            boolean known = loads.stream().anyMatch(l -> l.nodeId().equals(nodeId));
            if (!known) {
                return CompletableFuture.completedFuture(error(HttpResponseStatus.NOT_FOUND, "not-found",
                        "no node " + nodeId + " in the cluster"));
            }
            return AskPattern.<SfuNode.Command, SfuNode.Load>ask(node,
                            replyTo -> new SfuNode.DrainNode(nodeId, replyTo), TIMEOUT, system.scheduler())
                    .thenApply(load -> {
                        ObjectNode out = json.createObjectNode();
                        out.put("node", load.nodeId());
                        out.put("draining", load.draining());
                        out.put("participants", load.participants());
                        return new Response(HttpResponseStatus.ACCEPTED, out);
                    });
        });
    }

    /**
     * Asks every actor registered under {@code key} in the cluster; a node that does not answer in
     * time is left out rather than failing the whole request.
     */
    private <T, R> CompletionStage<List<R>> gatherAll(ServiceKey<T> key,
                                                      java.util.function.Function<ActorRef<R>, T> question) {
        return gather(key, question).thenApply(Gathered::answers);
    }

    /** The answers that arrived in time, and how many of those asked did not answer. */
    private record Gathered<R>(List<R> answers, int unanswered) {
    }

    private <T, R> CompletionStage<Gathered<R>> gather(ServiceKey<T> key,
                                                       java.util.function.Function<ActorRef<R>, T> question) {
        CompletionStage<Receptionist.Listing> listing = AskPattern.ask(system.receptionist(),
                replyTo -> Receptionist.find(key, replyTo), TIMEOUT, system.scheduler());
        return listing.thenCompose(l -> {
            List<CompletableFuture<R>> answers = new ArrayList<>();
            for (ActorRef<T> target : l.getServiceInstances(key)) {
                answers.add(AskPattern.<T, R>ask(target, question::apply, NODE_TIMEOUT, system.scheduler())
                        .toCompletableFuture().exceptionally(failure -> null));
            }
            return CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
                List<R> arrived = answers.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList();
                return new Gathered<>(arrived, answers.size() - arrived.size());
            });
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
