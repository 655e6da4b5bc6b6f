package org.adam.sfu.room;

import org.apache.pekko.actor.typed.RecipientRef;

/** Finds the actor that hosts a room, wherever it runs (a local child or a sharded entity). */
@FunctionalInterface
public interface RoomDirectory {

    RecipientRef<Room.Command> room(RoomKey key);
}
