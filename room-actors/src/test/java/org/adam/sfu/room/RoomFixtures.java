package org.adam.sfu.room;

import java.util.List;

import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;

/** Participants and tracks for the room's unit tests. */
final class RoomFixtures {

    static final CodecSpec VP8 = new CodecSpec(96, "VP8", 90000, 0, "", List.of("nack", "nack pli"));

    private RoomFixtures() {
    }

    static ParticipantInfo participant(String name) {
        return new ParticipantInfo(ParticipantId.random(), "did:key:z6Mk" + name, name, "node-a");
    }

    static TrackInfo video(ParticipantId owner) {
        return new TrackInfo(TrackId.random(), owner, "video", "camera", List.of(), false, "1", "node-a", VP8, 0);
    }

    /** A member whose events land in {@code inbox}. */
    static RoomMember member(String name, boolean autoSubscribe, TestInbox<Room.Event> inbox) {
        return new RoomMember(participant(name), inbox.getRef(), autoSubscribe);
    }
}
