package org.adam.sfu.room;

import java.util.Objects;

/**
 * Names one call: a room inside a neighbourhood. It is also the Cluster Sharding entity id of the
 * call's {@link Room}, so the encoding must be stable and reversible.
 */
public record RoomKey(String neighbourhood, String room) {

    private static final char SEPARATOR = '\u001f';

    public RoomKey {
        Objects.requireNonNull(neighbourhood, "neighbourhood");
        Objects.requireNonNull(room, "room");
    }

    public String entityId() {
        return neighbourhood + SEPARATOR + room;
    }

    public static RoomKey fromEntityId(String entityId) {
        int cut = entityId.indexOf(SEPARATOR);
        if (cut < 0) {
            throw new IllegalArgumentException("not a room entity id: " + entityId);
        }
        return new RoomKey(entityId.substring(0, cut), entityId.substring(cut + 1));
    }

    @Override
    public String toString() {
        return neighbourhood + "/" + room;
    }
}
