package org.adam.sfu.room;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * The participants admitted on this node whose actors still run, with what a resume must match
 * (the DID they joined with, the token their `joined` carried). Touched only by the SfuNode actor.
 */
final class LocalParticipants {

    private record Local(ActorRef<Participant.Command> ref, RoomKey roomKey, String did, ResumeToken resumeToken) {
    }

    private final Map<ParticipantId, Local> local = new HashMap<>();

    void add(ParticipantId id, ActorRef<Participant.Command> ref, RoomKey roomKey, String did,
             ResumeToken resumeToken) {
        local.put(id, new Local(ref, roomKey, did, resumeToken));
    }

    void remove(ParticipantId id) {
        local.remove(id);
    }

    Optional<SfuNode.Found> find(ParticipantId id) {
        return Optional.ofNullable(local.get(id)).map(l -> new SfuNode.Found(l.ref(), l.did(), l.resumeToken()));
    }

    int size() {
        return local.size();
    }

    boolean isEmpty() {
        return local.isEmpty();
    }

    /** The rooms they are in, each once, sorted. */
    List<String> roomNames() {
        return local.values().stream().map(l -> l.roomKey().toString()).distinct().sorted().toList();
    }

    /** Tells each of them {@code command}. */
    void tellAll(Participant.Command command) {
        local.values().forEach(l -> l.ref().tell(command));
    }
}
