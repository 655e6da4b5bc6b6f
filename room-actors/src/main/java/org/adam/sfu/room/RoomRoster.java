package org.adam.sfu.room;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is in a room, in the order they joined, and how to reach them: telling every member an
 * event, relaying a mesh signal between two of them. Touched only by the room's actor.
 */
final class RoomRoster {

    private final Map<ParticipantId, RoomMember> members = new LinkedHashMap<>();

    boolean contains(ParticipantId id) {
        return members.containsKey(id);
    }

    /** The member, or null when it is not in the room. */
    RoomMember get(ParticipantId id) {
        return members.get(id);
    }

    /** Adds a member; one already here under the same id must have been removed first. */
    void add(RoomMember member) {
        members.put(member.id(), member);
    }

    /** The member removed, or null when it was not in the room. */
    RoomMember remove(ParticipantId id) {
        return members.remove(id);
    }

    int size() {
        return members.size();
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    /** Every member in join order (a read-only view). */
    Collection<RoomMember> members() {
        return Collections.unmodifiableCollection(members.values());
    }

    List<ParticipantInfo> infos() {
        return members.values().stream().map(m -> m.info).toList();
    }

    void tellAll(Room.Event event) {
        for (RoomMember member : members.values()) {
            member.ref.tell(event);
        }
    }

    void tellAllExcept(ParticipantId except, Room.Event event) {
        for (RoomMember member : members.values()) {
            if (!member.id().equals(except)) {
                member.ref.tell(event);
            }
        }
    }

    /** Tells the publisher of {@code track} {@code event}, if it is still in the room. */
    void tellPublisher(TrackInfo track, Room.Event event) {
        RoomMember owner = members.get(track.participantId());
        if (owner != null) {
            owner.ref.tell(event);
        }
    }

    /**
     * Plans every member's subscriptions again ({@link SubscriptionPlanner}) and tells those
     * whose set changed the complete set they should now receive.
     */
    void replanSubscriptions(Collection<TrackInfo> catalogue) {
        for (RoomMember member : members.values()) {
            List<TrackInfo> planned = SubscriptionPlanner.plan(member, catalogue);
            if (member.replaceSubscriptions(planned)) {
                member.ref.tell(new Room.SubscriptionsChanged(planned));
            }
        }
    }

    /** Mesh topology: passes a signal on, only between two members of this call. */
    void relay(Room.MeshSignal signal) {
        RoomMember target = members.get(signal.to());
        if (target != null && members.containsKey(signal.from())) {
            target.ref.tell(new Room.MeshSignalled(signal.from(), signal.payload()));
        }
    }

    /** The track is gone: nobody keeps asking for it (the same id published again is another track). */
    void forgetSubscriptionsTo(TrackId trackId) {
        for (RoomMember member : members.values()) {
            member.explicit.remove(trackId);
        }
    }

    /** Drops every member's explicit subscriptions to tracks not among {@code published}. */
    void keepSubscriptionsOnlyTo(Set<TrackId> published) {
        members.values().forEach(m -> m.explicit.retainAll(published));
    }

    /** Per member id, the ids of the tracks it was last told to receive, sorted (for operators). */
    Map<String, List<String>> subscriptionsSent() {
        Map<String, List<String>> subscriptions = new LinkedHashMap<>();
        members.forEach((id, m) -> subscriptions.put(id.value(),
                m.lastSent().stream().map(TrackId::value).sorted().toList()));
        return subscriptions;
    }
}
