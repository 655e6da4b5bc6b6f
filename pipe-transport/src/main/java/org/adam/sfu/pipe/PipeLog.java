package org.adam.sfu.pipe;

import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.slf4j.MDC;

/** A pipe's log lines carry its room in the MDC. Called on the logging actor's thread. */
final class PipeLog {

    private PipeLog() {
    }

    static void info(ActorContext<?> context, PipeKey key, String format, Object... args) {
        MDC.put("room", key.room().toString());
        try {
            context.getLog().info(format, args);
        } finally {
            MDC.remove("room");
        }
    }
}
