package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.ParticipantInfo;
import org.adam.sfu.room.Room;
import org.adam.sfu.room.TrackId;
import org.junit.jupiter.api.Test;

class RoomEventViewsTest {

    @Test
    void participantEventsCarryWhoJoinedAndTheRoomsEnd() {
        Map<String, Object> joined = RoomEventViews.participantEvent("r1", new Room.ParticipantJoined(
                new ParticipantInfo(new ParticipantId("p1"), "did:key:a", "Alice", "node-a")));
        assertThat(joined).containsExactly(Map.entry("roomId", "r1"), Map.entry("type", "joined"),
                Map.entry("participantId", "p1"), Map.entry("did", "did:key:a"), Map.entry("name", "Alice"),
                Map.entry("node", "node-a"));
        assertThat(RoomEventViews.participantEvent("r1", new Room.Closed("bye")))
                .containsEntry("type", "closed").containsEntry("reason", "bye");
        assertThat(RoomEventViews.participantEvent("r1", new Room.TrackUnpublished(new TrackId("t1")))).isNull();
    }

    @Test
    void streamEventsCarryTrackChangesOnly() {
        assertThat(RoomEventViews.streamEvent("r1", new Room.TrackUnpublished(new TrackId("t1"))))
                .containsExactly(Map.entry("roomId", "r1"), Map.entry("type", "unpublished"),
                        Map.entry("trackId", "t1"));
        assertThat(RoomEventViews.streamEvent("r1", new Room.Closed("bye"))).isNull();
    }
}
