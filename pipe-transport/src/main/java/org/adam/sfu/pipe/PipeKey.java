package org.adam.sfu.pipe;

import org.adam.sfu.room.RoomKey;

/** A pipe is one per room and pair of nodes. */
record PipeKey(RoomKey room, String remoteNode) {
}
