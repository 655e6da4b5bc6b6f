package org.adam.sfu.room;

/**
 * A room re-created after its host node failed knows nobody; it rebuilds its roster, catalogue
 * and subscriptions from the reports ({@link Room.Present}) its surviving participants send each
 * second, then, once they have had time to report, tells every member who is left. Called on the
 * room's actor.
 */
final class RoomRebuild {

    private RoomRebuild() {
    }

    /**
     * Takes in the report of a member the room does not know: the member, what it asked for and
     * the tracks it publishes.
     *
     * @return the member added (for the room to watch its actor)
     */
    static RoomMember admit(Room.Present report, RoomRoster roster, TrackCatalogue tracks) {
        RoomMember member = new RoomMember(report.participant(), report.member(), report.autoSubscribe());
        member.explicit.addAll(report.explicitSubscriptions());
        roster.add(member);
        report.published().forEach(tracks::put);
        return member;
    }

    /**
     * Every surviving participant has reported: subscriptions to tracks nobody reported are
     * dropped (their publisher was lost).
     *
     * @return what members are told so they drop those the room lost
     */
    static Room.Roster settle(RoomRoster roster, TrackCatalogue tracks) {
        roster.keepSubscriptionsOnlyTo(tracks.ids());
        return new Room.Roster(roster.infos(), tracks.all());
    }
}
