package org.adam.sfu.room;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * A room's log lines: each carries the room's key (MDC `room`), so one call's lines can be picked
 * out of a node's log. Used on the room's actor only (MDC is per thread, so it is set and cleared
 * around each line).
 */
final class RoomLog {

    private final String room;
    /** Asked for at each line: the actor's logger sets the actor's own MDC as it is handed out. */
    private final Supplier<Logger> logger;

    RoomLog(RoomKey key, Supplier<Logger> logger) {
        this.room = key.toString();
        this.logger = logger;
    }

    void info(String format, Object... args) {
        MDC.put("room", room);
        try {
            logger.get().info(format, args);
        } finally {
            MDC.remove("room");
        }
    }
}
