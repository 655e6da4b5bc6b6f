package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ClientSessionTest {

    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final ClientEvent JOINED = new ClientEvent.Pong("joined-stand-in");

    private final ParticipantId id = ParticipantId.random();
    private final ManualClock clock = new ManualClock();
    private final List<String> logged = new ArrayList<>();
    private final RecordingLink first = new RecordingLink();
    private final ClientSession session = new ClientSession(id, first, GRACE, clock,
            (format, args) -> logged.add(format));

    private static ClientEvent.TrackUnpublished gone(String track) {
        return new ClientEvent.TrackUnpublished(new TrackId(track));
    }

    @Test
    void roomStateEventsAreNumberedOthersAreNot() {
        session.sendRoomEvent(gone("a"));
        session.send(new ClientEvent.Pong("p"));
        session.sendRoomEvent(gone("b"));
        assertThat(first.sent).containsExactly(new ClientEvent.Sequenced(1, gone("a")), new ClientEvent.Pong("p"),
                new ClientEvent.Sequenced(2, gone("b")));
    }

    @Test
    void theGraceRunsOnTheClockFromTheDropAndNoneRunsWhileAttached() {
        assertThat(session.graceLeft()).isNull();
        session.linkLost();
        assertThat(session.graceLeft()).isEqualTo(GRACE);
        clock.advance(Duration.ofSeconds(4));
        assertThat(session.graceLeft()).isEqualTo(Duration.ofSeconds(6));
        clock.advance(Duration.ofSeconds(6));
        assertThat(session.graceLeft()).isZero();
        clock.advance(Duration.ofSeconds(6));
        assertThat(session.graceLeft()).as("over stays over").isZero();

        session.resume(new RecordingLink(), JOINED, null);
        assertThat(session.graceLeft()).isNull();
    }

    @Test
    void whatIsSentWhileDetachedIsDroppedAndTheResumeReplaysTheRoomStateMissed() {
        session.sendRoomEvent(gone("a"));
        session.linkLost();
        session.sendRoomEvent(gone("b"));
        session.send(new ClientEvent.Pong("lost"));
        assertThat(first.sent).hasSize(1);

        RecordingLink second = new RecordingLink();
        session.resume(second, JOINED, 1L);
        assertThat(second.sent).containsExactly(JOINED, new ClientEvent.Sequenced(2, gone("b")));
        assertThat(first.closed).as("a dropped socket is not closed again").isFalse();
        assertThat(first.ended).isEmpty();
        assertThat(logged).containsExactly("resumed: replayed {} room event(s) the client missed");
    }

    @Test
    void aResumeWhileTheOldSocketIsAttachedEndsAndClosesItFirst() {
        RecordingLink second = new RecordingLink();
        session.resume(second, JOINED, null);
        assertThat(first.ended).containsExactly(id);
        assertThat(first.closed).isTrue();
        assertThat(second.sent).containsExactly(JOINED);
        session.send(new ClientEvent.Pong("p"));
        assertThat(second.sent).endsWith(new ClientEvent.Pong("p"));
        assertThat(first.sent).isEmpty();
    }

    @Test
    void aResumeFromBeyondWhatIsKeptReplaysNothing() {
        for (int i = 0; i < RoomEventLog.CAPACITY + 5; i++) {
            session.sendRoomEvent(gone("t" + i));
        }
        session.linkLost();
        RecordingLink second = new RecordingLink();
        session.resume(second, JOINED, 1L);
        assertThat(second.sent).containsExactly(JOINED);
        assertThat(logged).containsExactly(
                "resume after event {}, but events up to {} are no longer kept: nothing replayed");
    }
}
