package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a resuming client is sent again: the events after the last one it got, while they are kept. */
class RoomEventLogTest {

    private static ClientEvent left(String id) {
        return new ClientEvent.ParticipantLeft(new ParticipantId(id), LeaveReason.LEAVE);
    }

    @Test
    void eventsAreNumberedFromOneAndThoseAfterTheLastSeenAreGivenBack() {
        RoomEventLog log = new RoomEventLog();
        assertThat(log.after(0)).isEmpty();
        log.append(left("p-a"));
        log.append(left("p-b"));
        log.append(left("p-c"));
        assertThat(log.lastSeq()).isEqualTo(3);
        assertThat(log.after(1)).extracting(ClientEvent.Sequenced::seq).containsExactly(2L, 3L);
        assertThat(log.after(1).get(0).event()).isEqualTo(left("p-b"));
        assertThat(log.after(3)).isEmpty();
        assertThat(log.after(4)).as("ahead of what was sent").isNull();
        assertThat(log.after(-1)).isNull();
    }

    @Test
    void keepsOnlyTheLastEventsAndSaysWhenAGapCannotBeFilled() {
        RoomEventLog log = new RoomEventLog();
        for (int i = 0; i < RoomEventLog.CAPACITY + 10; i++) {
            log.append(left("p-" + i));
        }
        assertThat(log.after(10)).as("event 11 is the oldest kept").hasSize(RoomEventLog.CAPACITY);
        assertThat(log.after(9)).as("event 10 is gone").isNull();
    }
}
