package org.adam.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClientRosterTest {

    private static final CodecSpec OPUS = new CodecSpec(111, "opus", 48000, 2, "", List.of());

    private final ParticipantId self = ParticipantId.random();
    private final ClientRoster roster = new ClientRoster(self);

    private static ParticipantInfo participant(String name) {
        return new ParticipantInfo(ParticipantId.random(), "did:key:z6Mk" + name, name, "node-a");
    }

    private static TrackInfo track(ParticipantId owner) {
        return new TrackInfo(TrackId.random(), owner, "audio", "microphone", List.of(), false, "0", "node-a", OPUS, 0);
    }

    @Test
    void onlyTracksTheClientWasToldOfAreKeptEachOnce() {
        ParticipantInfo bob = participant("bob");
        TrackInfo early = track(bob.participantId());
        TrackInfo late = track(bob.participantId());
        roster.admitted(List.of(bob), List.of(early));
        roster.apply(new Room.TrackPublished(late));
        TrackId unknown = TrackId.random();
        assertThat(roster.known(List.of(early.trackId(), unknown, late.trackId(), early.trackId())))
                .containsExactly(early.trackId(), late.trackId());

        roster.apply(new Room.TrackUnpublished(early.trackId()));
        assertThat(roster.known(List.of(early.trackId()))).isEmpty();
    }

    @Test
    void anUnpublishedTrackLeavesTheExplicitSubscriptions() {
        TrackInfo a = track(ParticipantId.random());
        TrackInfo b = track(ParticipantId.random());
        roster.admitted(List.of(), List.of(a, b));
        roster.subscribe(List.of(a.trackId(), b.trackId()), true);
        roster.subscribe(List.of(a.trackId()), false);
        assertThat(roster.explicitSubscriptions()).containsExactly(b.trackId());
        roster.apply(new Room.TrackUnpublished(b.trackId()));
        assertThat(roster.explicitSubscriptions()).isEmpty();
    }

    @Test
    void aRebuiltRoomsRosterSaysWhatItLostButNotTheParticipantItselfNorItsTracks() {
        ParticipantInfo stays = participant("stays");
        ParticipantInfo lost = participant("lost");
        TrackInfo kept = track(stays.participantId());
        TrackInfo gone = track(lost.participantId());
        TrackInfo own = track(self);
        roster.admitted(List.of(stays, lost), List.of(kept, gone));
        roster.apply(new Room.TrackPublished(own));
        roster.subscribe(List.of(gone.trackId(), kept.trackId()), true);

        ClientRoster.Gone reconciled = roster.reconcile(new Room.Roster(List.of(stays), List.of(kept)));
        assertThat(reconciled.tracks()).containsExactly(gone.trackId());
        assertThat(reconciled.participants()).containsExactly(lost.participantId());
        assertThat(roster.explicitSubscriptions()).containsExactly(kept.trackId());

        ClientRoster.Gone again = roster.reconcile(new Room.Roster(List.of(stays), List.of(kept)));
        assertThat(again.tracks()).as("forgotten once told").isEmpty();
        assertThat(again.participants()).isEmpty();
    }

    @Test
    void whoJoinsAndLeavesIsFollowed() {
        ParticipantInfo carol = participant("carol");
        roster.apply(new Room.ParticipantJoined(carol));
        assertThat(roster.reconcile(new Room.Roster(List.of(), List.of())).participants())
                .containsExactly(carol.participantId());
        roster.apply(new Room.ParticipantJoined(carol));
        roster.apply(new Room.ParticipantLeft(carol.participantId(), LeaveReason.LEAVE));
        assertThat(roster.reconcile(new Room.Roster(List.of(), List.of())).participants()).isEmpty();
    }
}
