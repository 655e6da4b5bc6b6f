package org.adam.sfu.room;

/** What the others in a room know about a participant. */
public record ParticipantInfo(ParticipantId participantId, String did, String name, String node) {
}
